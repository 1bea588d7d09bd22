/**
 * Bench A/B for native-dsa-verify.ts: the timed worker (the product's worker
 * plus a busy counter) with that one speed-up uninstalled, so DSA signatures
 * are verified by otr.js's own `DSA.verify` (two `powMod`s, on native-bigint).
 */
import './timed-worker.js';
import otr from 'otr';
import { installOtrPatches } from '../../src/protocol/otr/index.js';
import { stockDsaOf } from '../../src/protocol/otr/native-dsa.js';
import { uninstallNativeDsaVerify } from '../../src/protocol/otr/native-dsa-verify.js';
import { activeSpeedups } from '../../src/protocol/otr/speedups.js';

installOtrPatches();
uninstallNativeDsaVerify(stockDsaOf(otr));
if (activeSpeedups().includes('native-dsa-verify')) throw new Error('no-verify worker still has native-dsa-verify');
