/**
 * Where the browser refuses this origin Web Locks (a third-party frame, SecurityError), instance
 * slots and the identity lock go on without them; any other lock failure keeps its meaning.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InstanceSlots, MAX_SLOTS, type SlotLocks } from '../../src/worker/instance-slot.js';
import { webLock } from '../../src/worker/identity.js';
import { MemoryStore } from '../../src/worker/store.js';

const securityError = (): Error => Object.assign(new Error('The request is not allowed.'), { name: 'SecurityError' });

type Request = SlotLocks['request'];

/** Locks that count their requests, each answered by `answer`. */
function fakeLocks(answer: Request): SlotLocks & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    request(name, options, callback) {
      requests.push(name);
      return answer(name, options, callback);
    },
  };
}

const throwing = (): SlotLocks & { requests: string[] } =>
  fakeLocks(() => {
    throw securityError(); // Chromium throws at once
  });
const rejecting = (): SlotLocks & { requests: string[] } => fakeLocks(() => Promise.reject(securityError()));

describe('InstanceSlots where Web Locks are refused', () => {
  it.each([
    ['throws', throwing],
    ['rejects', rejecting],
  ])('request %s SecurityError: slot 0 (with firstTag) without a hint, the hinted slot with one', async (_, make) => {
    const store = new MemoryStore();
    const locks = make();
    expect(await new InstanceSlots(store, 'db', locks).claim(undefined, 0x1234)).toEqual({ slot: 0, instanceTag: 0x1234 });
    expect(locks.requests).toEqual(['db:instance:0']); // refused once: no more slots tried

    const hinted = make();
    const claim = await new InstanceSlots(store, 'db', hinted).claim(3, 0x1234);
    expect(claim.slot).toBe(3);
    expect(claim.instanceTag).not.toBe(0x1234); // slot 3 gets a tag of its own, stored
    expect(await store.get('instance:3')).toBe(claim.instanceTag);
    expect(hinted.requests).toEqual(['db:instance:3']);
    expect(await new InstanceSlots(store, 'db', make()).claim(3, 0x1234)).toEqual(claim); // the same instance again
  });

  it('locks that work with every slot taken still give slot -1 (the fallback is for refusal only)', async () => {
    const locks = fakeLocks((_name, options, callback) => {
      if (options.ifAvailable) return Promise.resolve(callback(null));
      return Promise.reject(Object.assign(new Error('The signal timed out.'), { name: 'AbortError' })); // the wait for the hint ran out
    });
    const store = new MemoryStore();
    const claim = await new InstanceSlots(store, 'db', locks).claim(undefined, 0x1234);
    expect(claim.slot).toBe(-1);
    expect(claim.instanceTag).not.toBe(0x1234);
    expect(locks.requests).toHaveLength(MAX_SLOTS);
    expect(await store.keys()).toEqual([]); // nothing stored for slot -1

    locks.requests.length = 0;
    expect((await new InstanceSlots(store, 'db', locks).claim(3, 0x1234)).slot).toBe(-1);
    expect(locks.requests).toHaveLength(MAX_SLOTS); // the hint, then the other 15
  });

  it('locks that work and are free give slot 0 and firstTag', async () => {
    const locks = fakeLocks((_name, _options, callback) => {
      void callback({ name: _name });
      return Promise.resolve();
    });
    expect(await new InstanceSlots(new MemoryStore(), 'db', locks).claim(undefined, 0x1234)).toEqual({ slot: 0, instanceTag: 0x1234 });
  });
});

/** navigator.locks for webLock: `request(name, callback)`. */
type LockRequest = (name: string, callback: () => Promise<unknown>) => Promise<unknown>;

describe('webLock where Web Locks are refused', () => {
  afterEach(() => vi.unstubAllGlobals());
  const stubLocks = (request: LockRequest) => vi.stubGlobal('navigator', { locks: { request } });

  it.each([
    [
      'throws',
      (): Promise<unknown> => {
        throw securityError();
      },
    ],
    ['rejects', (): Promise<unknown> => Promise.reject(securityError())],
  ])('request %s SecurityError: runs work once, without the lock, and returns its value', async (_, request) => {
    stubLocks(request);
    const work = vi.fn(async () => 'identity');
    expect(await webLock('e2ee-chat:identity', work)).toBe('identity');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs work inside a working lock', async () => {
    const names: string[] = [];
    stubLocks((name, callback) => (names.push(name), callback()));
    const work = vi.fn(async () => 42);
    expect(await webLock('n', work)).toBe(42);
    expect(work).toHaveBeenCalledTimes(1);
    expect(names).toEqual(['n']);
  });

  it('passes on a SecurityError from work itself, and does not run it twice', async () => {
    stubLocks((_name, callback) => callback());
    const work = vi.fn(() => Promise.reject(securityError()));
    await expect(webLock('n', work)).rejects.toMatchObject({ name: 'SecurityError' });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('passes on any other lock failure, without running work', async () => {
    stubLocks(() => Promise.reject(Object.assign(new Error('The lock request is aborted.'), { name: 'AbortError' })));
    const work = vi.fn(async () => 'x');
    await expect(webLock('n', work)).rejects.toMatchObject({ name: 'AbortError' });
    stubLocks(() => {
      throw Object.assign(new Error('Invalid lock name.'), { name: 'NotSupportedError' });
    });
    await expect(webLock('n', work)).rejects.toMatchObject({ name: 'NotSupportedError' });
    expect(work).not.toHaveBeenCalled();
  });
});
