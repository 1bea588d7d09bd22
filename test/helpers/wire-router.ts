/**
 * Test helper: Alice's and Bob's engines with a path between them that a test can cut, or hand to a
 * man in the middle. Each side's events are recorded. Works in Node and in the browser.
 */
import type { EngineApi, EngineEvent } from '../../src/worker/api.js';
import { side, type Side } from './engine-pair.js';

/** Where Bob's wire text for `alice` goes, and whether Alice's reaches Bob. */
export interface Path {
  /** Alice's wire text reaches Bob (default true). */
  aliceToBob: boolean;
  /** Bob's wire text for `alice` goes to Alice (`alice`), to the attacker (`attacker`), or nowhere. */
  bobToAlice: 'alice' | 'attacker' | 'drop';
}

export interface Routed {
  a: Side;
  b: Side;
  path: Path;
  /** Every body Bob sent towards `alice`, wherever it went. */
  fromBob: string[];
  /** Every body Alice sent towards `bob`, delivered or not. */
  fromAlice: string[];
  /** Set by the test to receive Bob's text while `bobToAlice` is `attacker`. */
  attacker?: (text: string) => void;
}

/** Link two engines as `alice` and `bob` through a switchable {@link Path}. */
export async function routeEngines(alice: EngineApi, bob: EngineApi, wrap: <T>(f: T) => T = (f) => f): Promise<Routed> {
  const routed: Routed = {
    a: side('alice', alice),
    b: side('bob', bob),
    path: { aliceToBob: true, bobToAlice: 'alice' },
    fromBob: [],
    fromAlice: [],
  };
  await alice.subscribe(
    wrap((event: EngineEvent) => {
      routed.a.events.push(event);
      if (event.type !== 'wire' || event.peer !== 'bob') return;
      routed.fromAlice.push(event.text);
      if (routed.path.aliceToBob) void bob.receive('alice', event.text).catch(() => undefined);
    }),
  );
  await bob.subscribe(
    wrap((event: EngineEvent) => {
      routed.b.events.push(event);
      if (event.type !== 'wire' || event.peer !== 'alice') return;
      routed.fromBob.push(event.text);
      if (routed.path.bobToAlice === 'alice') void alice.receive('bob', event.text).catch(() => undefined);
      else if (routed.path.bobToAlice === 'attacker') routed.attacker?.(event.text);
    }),
  );
  return routed;
}

/** The status and trust events of `side` from index `from` on. */
export function statusesSince(side: Side, from: number): Extract<EngineEvent, { type: 'status' }>[] {
  return side.events.slice(from).filter((e): e is Extract<EngineEvent, { type: 'status' }> => e.type === 'status');
}

export function trustSince(side: Side, from: number): Extract<EngineEvent, { type: 'trust' }>[] {
  return side.events.slice(from).filter((e): e is Extract<EngineEvent, { type: 'trust' }> => e.type === 'trust');
}
