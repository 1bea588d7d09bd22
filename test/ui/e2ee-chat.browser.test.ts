import { LoopbackTransport } from '../../src/ui/index.js';
import { keygenDone, mount, pairOfChats, shadow, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

describe('<e2ee-chat>: a full conversation on the loopback', () => {
  let a: Mounted;
  let b: Mounted;
  before(async () => {
    [a, b] = pairOfChats();
    await Promise.all([keygenDone(a), keygenDone(b)]);
  });
  after(() => unmount(a, b));

  it('reaches encrypted on both sides, with e2ee-status events', async () => {
    assertEqual(a.el.state, 'plaintext', 'initial state');
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'both encrypted');
    const [aliceFp, bobFp] = [(await a.engine.identity()).fingerprint, (await b.engine.identity()).fingerprint];
    await until(() => a.events['e2ee-status'].at(-1)?.theirFingerprint === bobFp && b.events['e2ee-status'].at(-1)?.theirFingerprint === aliceFp, 'status with keys');
    assertEqual(a.events['e2ee-status'].at(-1), { peer: 'bob', state: 'encrypted', theirFingerprint: bobFp, protocolVersion: 3 }, 'alice status detail');
    assertEqual(b.events['e2ee-status'].at(-1), { peer: 'alice', state: 'encrypted', theirFingerprint: aliceFp, protocolVersion: 3 }, 'bob status detail');
    const pill = shadow(a.el).querySelector('[part=status]')!;
    assert(pill.textContent!.includes('Encrypted · not verified'), `status in words: ${pill.textContent}`);
    assert(pill.querySelector('svg'), 'status icon');
  });

  it('delivers messages both ways, each with encrypted: true', async () => {
    await a.el.send('hello Bob');
    await b.el.send('hi Alice 👋');
    await until(() => a.events['e2ee-message'].some((m) => m.direction === 'in') && b.events['e2ee-message'].some((m) => m.direction === 'in'), 'messages');
    const inB = b.events['e2ee-message'].find((m) => m.direction === 'in')!;
    assertEqual([inB.peer, inB.text, inB.encrypted], ['alice', 'hello Bob', true], 'bob received');
    assert(inB.at instanceof Date, 'at is a Date');
    const outA = a.events['e2ee-message'].find((m) => m.direction === 'out')!;
    assertEqual([outA.peer, outA.text, outA.encrypted], ['bob', 'hello Bob', true], 'alice sent');
    const inA = a.events['e2ee-message'].find((m) => m.direction === 'in')!;
    assertEqual([inA.text, inA.encrypted], ['hi Alice 👋', true], 'alice received');
    assert(a.transport.sent.filter((s) => s.body.includes('hello Bob')).length === 0, 'plaintext never on the wire');
    const badge = shadow(b.el).querySelector('li.message.in [part=lock]')!;
    assert(badge.textContent!.includes('encrypted'), 'lock badge says encrypted');
  });

  it('endPrivate() moves the ender to plaintext and the peer to finished', async () => {
    await a.el.endPrivate();
    await until(() => a.el.state === 'plaintext' && b.el.state === 'finished', 'ended');
    assertEqual(b.events['e2ee-status'].at(-1), { peer: 'alice', state: 'finished' }, 'bob finished detail');
    assert(shadow(b.el).querySelector('[part=status]')!.textContent!.includes('Ended by contact'), 'Ended in words');
  });
});

describe('<e2ee-chat>: hostile text', () => {
  let a: Mounted;
  let b: Mounted;
  before(async () => {
    [a, b] = pairOfChats();
    await Promise.all([keygenDone(a), keygenDone(b)]);
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'encrypted');
  });
  after(() => unmount(a, b));

  it('renders markup, scripts, a 20,000-character word and RTL overrides as inert text without overflow', async () => {
    let alerted = false;
    const realAlert = window.alert;
    window.alert = () => { alerted = true; };
    const hostile = ['<img src=x onerror=alert(1)>', '</style><script>alert(2)</script>', 'W'.repeat(20_000), '\u202Egnp.exe\u202C and \u202Brtl\u202C'];
    for (const text of hostile) await a.el.send(text);
    await until(() => shadow(b.el).querySelectorAll('li.message.in').length === hostile.length, 'all rendered');
    await b.el.updateComplete;
    await new Promise((r) => setTimeout(r, 200));
    window.alert = realAlert;
    const texts = [...shadow(b.el).querySelectorAll('li.message.in .text')];
    assertEqual(texts.map((t) => t.textContent), hostile, 'shown verbatim as text');
    for (const t of texts) assertEqual(t.children.length, 0, 'no element created inside a message');
    assertEqual(shadow(b.el).querySelectorAll('img, script').length, 0, 'no img or script in the shadow root');
    assert(!alerted, 'no script ran');
    const list = shadow(b.el).querySelector('ol.messages') as HTMLElement;
    assert(list.scrollWidth <= list.clientWidth, `no horizontal overflow (${list.scrollWidth} > ${list.clientWidth})`);
    assert(b.el.scrollWidth <= b.el.clientWidth + 1, 'element itself does not overflow');
  });
});

describe('<e2ee-chat require-encryption>', () => {
  it('never sends a message typed before the AKE in plaintext; delivers it encrypted afterwards', async () => {
    const [a, b] = pairOfChats({ 'require-encryption': '' });
    await Promise.all([keygenDone(a), keygenDone(b)]);
    await a.el.updateComplete;
    const secret = 'typed before the AKE: meet at noon';
    await a.el.send(secret);
    await until(() => b.events['e2ee-message'].some((m) => m.text === secret), 'delivered', 30_000);
    const received = b.events['e2ee-message'].find((m) => m.text === secret)!;
    assertEqual(received.encrypted, true, 'delivered encrypted');
    assertEqual(a.el.state, 'encrypted', 'the AKE was started for it');
    const bodies = a.transport.sent.map((s) => s.body);
    assert(bodies.length > 0, 'something crossed the transport');
    assert(bodies.every((body) => body.startsWith('?OTR')), `only OTR text crossed: ${bodies.map((x) => x.slice(0, 12)).join(' | ')}`);
    assert(!bodies.some((body) => body.includes('meet at noon')), 'plaintext never crossed');
    unmount(a, b);
  });
});

describe('<e2ee-chat>: a lost connection', () => {
  it('marks the message failed with an error event, and a retry delivers it encrypted', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const a = mount('alice', 'bob', ta);
    const b = mount('bob', 'alice', tb);
    await Promise.all([keygenDone(a), keygenDone(b)]);
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'encrypted');
    ta.disconnect();
    await a.el.send('sent while offline');
    await until(() => a.events['e2ee-error'].some((e) => e.code === 'transport'), 'transport error event');
    await a.el.updateComplete;
    const failed = shadow(a.el).querySelector('li.message.out[data-status=failed]');
    assert(failed, 'failed mark');
    assert(shadow(a.el).querySelector('[part~=error]')!.textContent!.includes('could not be delivered'), 'inline error in plain words');
    ta.connect();
    (failed!.querySelector('[part=retry]') as HTMLButtonElement).click();
    await until(() => b.events['e2ee-message'].some((m) => m.text === 'sent while offline' && m.encrypted), 'retry delivered');
    unmount(a, b);
  });
});
