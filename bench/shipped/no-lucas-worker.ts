/**
 * Bench A/B for native-dsa.ts's Lucas test: the timed worker (the product's
 * worker plus a busy counter) whose one-read p search accepts p after 40
 * Miller–Rabin rounds, as otr.js does, instead of 3 rounds and FIPS 186-4's
 * Lucas test.
 */
import './timed-worker.js';
import otr from 'otr';
import { installOtrPatches } from '../../src/protocol/otr/index.js';
import { uninstallLucasTest } from '../../src/protocol/otr/native-dsa.js';
import { activeSpeedups } from '../../src/protocol/otr/speedups.js';

installOtrPatches();
uninstallLucasTest(otr);
if (activeSpeedups().includes('dsa-lucas-test')) throw new Error('no-lucas worker still has dsa-lucas-test');
