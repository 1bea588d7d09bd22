/**
 * Which OTR instance slot this tab uses for each identity (see src/worker/instance-slot.ts): kept in
 * `sessionStorage`, which belongs to one tab and survives its reloads, so a reloaded tab asks its
 * new engine for the instance it had, and goes on with that instance's stored conversations.
 * A second engine of the same identity in the same page asks for none (it gets a free slot).
 */

/** Slots held by this page's live engines, per identity name. */
const live = new Map<string, Set<number>>();

function storageKey(name: string): string {
  return `e2ee-chat:${name}:instance-slot`;
}

/** The slot a new engine for identity `name` should ask for, if any. */
export function slotHint(name: string): number | undefined {
  let stored: string | null = null;
  try {
    stored = globalThis.sessionStorage?.getItem(storageKey(name)) ?? null;
  } catch {
    return undefined; // storage blocked (sandboxed frame, privacy settings): no hint
  }
  const slot = stored === null ? NaN : Number(stored);
  if (!Number.isInteger(slot) || slot < 0 || live.get(name)?.has(slot)) return undefined;
  return slot;
}

/** An engine for `name` now holds `slot`: remember it for this tab's next page. */
export function slotClaimed(name: string, slot: number): void {
  if (slot < 0) return;
  let slots = live.get(name);
  if (!slots) live.set(name, (slots = new Set()));
  if (slots.size === 0) {
    try {
      globalThis.sessionStorage?.setItem(storageKey(name), String(slot));
    } catch {
      // storage blocked: the next page claims a free slot
    }
  }
  slots.add(slot);
}

/** The engine holding `slot` for `name` ended. */
export function slotReleased(name: string, slot: number): void {
  live.get(name)?.delete(slot);
}
