/**
 * Bench A/B for native-dsa.ts's one-read search: the timed worker (the
 * product's worker plus a busy counter) whose native DSA keygen searches p
 * exactly as otr.js does (one bigint.js `randBigInt` per candidate) instead
 * of one Web Crypto read per candidate.
 */
import './timed-worker.js';
import otr from 'otr';
import { installOtrPatches } from '../../src/protocol/otr/index.js';
import { uninstallOneReadSearch } from '../../src/protocol/otr/native-dsa.js';
import { activeSpeedups } from '../../src/protocol/otr/speedups.js';

installOtrPatches();
uninstallOneReadSearch(otr);
if (activeSpeedups().includes('dsa-one-read-search')) throw new Error('exact-search worker still has dsa-one-read-search');
