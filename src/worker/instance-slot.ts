/**
 * One identity, many tabs: each engine (one per tab) is its own OTR v3 instance, with its own
 * instance tag, as the protocol intends for several clients of one account (OTR v3 spec,
 * "Instance Tags"). A tab then ignores the messages meant for another tab's instance.
 *
 * Instances live in numbered slots. An engine holds its slot's Web Lock for as long as it runs (the
 * browser releases it when the worker ends), and a slot's instance tag is stored, so a reloaded tab
 * that claims its slot again is the same instance, and goes on with that instance's stored
 * conversations. The page remembers which slot it had (see the UI's tab-instance.ts) and asks for
 * it first; it waits a moment for it, since the worker of the page it replaces may still be ending.
 */
import { makeInstanceTag } from '../protocol/index.js';
import type { KeyValueStore } from './store.js';

/** The instance an engine claimed. */
export interface InstanceClaim {
  /** The slot number (0 for the first tab). */
  readonly slot: number;
  readonly instanceTag: number;
}

/** The part of the Web Locks API that slots need (navigator.locks). */
export interface SlotLocks {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | null): Promise<unknown>;
}

/** How many tabs of one identity get an instance of their own, stored. */
export const MAX_SLOTS = 16;

/** How long a page waits for the slot it had before (the previous page's worker may still be ending). */
export const SLOT_WAIT_MS = 3_000;

/** Claims an instance slot of one identity and holds it for the engine's lifetime. */
export class InstanceSlots {
  constructor(
    private readonly store: KeyValueStore,
    /** Names this identity's locks (e.g. its database name). */
    private readonly lockPrefix: string,
    private readonly locks: SlotLocks | undefined = (globalThis.navigator as { locks?: SlotLocks } | undefined)?.locks,
  ) {}

  /**
   * Claim the slot `hint` (waiting up to {@link SLOT_WAIT_MS} for it), else the first free slot.
   * Slot 0's tag defaults to `firstTag` (the identity's own, from before slots existed). Without
   * Web Locks (Node: one process) the slot is `hint` or 0. When every slot is taken, the instance
   * gets a fresh tag and slot -1: its conversations are then not stored.
   */
  async claim(hint: number | undefined, firstTag: number): Promise<InstanceClaim> {
    const wanted = hint !== undefined && Number.isInteger(hint) && hint >= 0 && hint < MAX_SLOTS ? hint : undefined;
    let slot: number | undefined;
    if (!this.locks) slot = wanted ?? 0;
    else {
      if (wanted !== undefined && (await this.hold(wanted, SLOT_WAIT_MS))) slot = wanted;
      for (let s = 0; slot === undefined && s < MAX_SLOTS && !this.denied; s++) {
        if (s !== wanted && (await this.hold(s, 0))) slot = s;
      }
      // Locks refused outright (a third-party frame with storage blocked: its store is in memory too).
      if (this.denied) slot = wanted ?? 0;
    }
    if (slot === undefined) return { slot: -1, instanceTag: makeInstanceTag() };
    return { slot, instanceTag: await this.tagOf(slot, firstTag) };
  }

  /** The stored tag of `slot`, made on first use. */
  private async tagOf(slot: number, firstTag: number): Promise<number> {
    const key = `instance:${slot}`;
    const stored = await this.store.get<unknown>(key);
    if (typeof stored === 'number' && Number.isInteger(stored) && stored >= 0x100 && stored <= 0xffffffff) return stored;
    const tag = slot === 0 ? firstTag : makeInstanceTag();
    await this.store.set(key, tag);
    return tag;
  }

  /** Set when the browser refuses this origin Web Locks (SecurityError), as it does storage there. */
  private denied = false;

  /** Take `slot`'s lock and keep it until the worker ends; false when not granted within `waitMs`. */
  private hold(slot: number, waitMs: number): Promise<boolean> {
    const locks = this.locks!;
    return new Promise<boolean>((resolve) => {
      const name = `${this.lockPrefix}:instance:${slot}`;
      const options = waitMs > 0 ? { signal: AbortSignal.timeout(waitMs) } : { ifAvailable: true };
      const refused = (error: unknown) => {
        if ((error as { name?: string })?.name === 'SecurityError') this.denied = true;
        resolve(false); // the wait timed out, or locks are refused here
      };
      try {
        locks
          .request(name, options, (lock) => {
            resolve(lock !== null);
            return lock === null ? null : new Promise<never>(() => undefined); // held for the worker's lifetime
          })
          .catch(refused);
      } catch (error) {
        refused(error); // Chromium throws at once where locks are refused
      }
    });
  }
}
