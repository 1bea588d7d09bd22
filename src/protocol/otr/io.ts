/**
 * otr.js's output queue, drained in one microtask instead of one timer per
 * packet.
 *
 * otr.js 0.2.16 (`OTR.prototype.io`) appends outgoing packets to
 * `this.outgoing` and emits them through `setTimeout`, one packet per timer
 * with `send_interval` between them. In a browser every packet then waits for
 * a timer task (and nested timers are clamped to 4 ms). This replacement keeps
 * everything the caller can observe:
 *
 * - output is still asynchronous: nothing is emitted before the call that
 *   produced it returns;
 * - packets leave in the order they were queued, one `io` event each, with
 *   otr's meta (and the `endOtr` callback after its last packet);
 * - with a `send_interval` other than 0, otr's own timer-paced queue runs.
 *
 * Only the scheduling changes: a queue drain is a microtask, so a message's
 * wire text reaches the engine's subscribers within the same task.
 */

import { memberSwap } from './member-swap.js';

/** otr's module object (`import otr from 'otr'`). */
export type OtrModule = object;

interface Outgoing {
  msg: string;
  meta?: unknown;
}
interface IoSelf {
  outgoing: Outgoing[];
  send_interval: number;
  trigger(event: string, args: unknown[]): void;
}
type Io = (this: IoSelf, msg: string | string[], meta?: unknown) => void;

const swap = memberSwap<Io>('io');
const draining = new WeakSet<object>();

/**
 * Replace `OTR.prototype.io` with the microtask-drained queue. Idempotent.
 *
 * @returns whether it is now active (false when otr's shape is not the one known here).
 */
export function installMicrotaskIo(otrModule: OtrModule): boolean {
  const proto = protoOf(otrModule);
  if (!proto || typeof proto.endOtr !== 'function' || typeof queueMicrotask !== 'function') return false;
  const endOtr = proto.endOtr as (this: unknown, cb: () => void) => void;
  return swap.install(proto, (original) => {
    const Callback = callbackClass(endOtr);
    return Callback ? makeIo(original, Callback) : undefined;
  });
}

/** Put otr's timer-paced `io` back. */
export function uninstallMicrotaskIo(otrModule: OtrModule): void {
  swap.uninstall(protoOf(otrModule));
}

/** Whether the microtask queue is in place. */
export function microtaskIoActive(otrModule: OtrModule): boolean {
  return swap.active(protoOf(otrModule));
}

function protoOf(otrModule: OtrModule): Record<string, unknown> | undefined {
  return (otrModule as { OTR?: { prototype?: Record<string, unknown> } }).OTR?.prototype;
}

/**
 * otr's private `OTRCB` class (the wrapper `endOtr` puts around its
 * callback), found by running `endOtr` on a stand-in that records what it sends.
 */
function callbackClass(endOtr: (this: unknown, cb: () => void) => void): (new (...a: never[]) => { cb: () => void }) | undefined {
  let meta: unknown;
  const standIn = { msgstate: 1, sm: null, sendMsg: (_: string, m: unknown) => (meta = m), trigger: () => undefined };
  try {
    endOtr.call(standIn, () => undefined);
  } catch {
    return undefined;
  }
  const ctor = (meta as { constructor?: unknown } | undefined)?.constructor;
  return typeof ctor === 'function' && typeof (meta as { cb?: unknown }).cb === 'function' ? (ctor as new () => { cb: () => void }) : undefined;
}

function makeIo(original: Io, Callback: new (...a: never[]) => { cb: () => void }): Io {
  function drain(self: IoSelf): void {
    draining.delete(self);
    while (self.outgoing.length) {
      const elem = self.outgoing.shift()!;
      let cb: (() => void) | null = null;
      if (elem.meta instanceof Callback) {
        cb = elem.meta.cb;
        elem.meta = null;
      }
      self.trigger('io', [elem.msg, elem.meta]);
      if (cb) cb();
    }
  }
  return function io(this: IoSelf, msg: string | string[], meta?: unknown): void {
    if (this.send_interval) return original.call(this, msg, meta);
    const list = ([] as string[]).concat(msg);
    list.forEach((m, i) => {
      const obj: Outgoing = { msg: m };
      // As otr: an endOtr callback goes with the last piece only.
      if (!(meta instanceof Callback) || i === list.length - 1) obj.meta = meta;
      this.outgoing.push(obj);
    });
    if (!draining.has(this)) {
      draining.add(this);
      queueMicrotask(() => drain(this));
    }
  };
}
