/**
 * The set-up every interop test file shares: build the libotr peer (which
 * may apt-get install gcc and libotr5-dev on a fresh machine), load our test
 * key, and give each test a fresh {@link Pair}.
 */
import { afterAll, beforeAll } from 'vitest';

import type { IdentityKey } from '../../src/protocol/index.js';
import { KeyDir, buildLibotrPeer, ourTestKey } from './libotr-peer.js';
import { Pair, type Side } from './scenario.js';

/** Both sides, for scenarios that run once started by each. */
export const SIDES: readonly Side[] = ['us', 'libotr'];

/** The side that is not `side`. */
export const other = (side: Side): Side => (side === 'us' ? 'libotr' : 'us');

/** Register the file's set-up (the libotr peer built, our test key, a key directory); read them in tests. */
export function useLibotrSetup(): { key: () => IdentityKey; keys: () => KeyDir } {
  let key: IdentityKey;
  let keys: KeyDir;
  beforeAll(() => {
    buildLibotrPeer();
    key = ourTestKey();
    keys = new KeyDir();
  }, 900_000);
  afterAll(() => keys?.remove());
  return { key: () => key, keys: () => keys };
}

/** Register the file's set-up and return `withPair`, which runs `run` on a fresh pair and closes it. */
export function useLibotrPairs(): (run: (pair: Pair) => Promise<void>, options?: Parameters<typeof Pair.open>[2]) => Promise<void> {
  const setup = useLibotrSetup();
  return async (run, options) => {
    const pair = await Pair.open(setup.key(), setup.keys(), options);
    try {
      await run(pair);
    } finally {
      await pair.close();
    }
  };
}
