/**
 * Bench baseline: the same worker with every speed-up removed before any
 * work, i.e. stock otr.js 0.2.16 (bigint.js, CryptoJS, eager DH sessions,
 * timer-paced output) under our engine and correctness fixes. The product
 * build leaves CryptoJS's AES out (scripts/slim-cryptojs.mjs); stock otr.js
 * needs it, so it comes back here from the whole vendored file.
 */
import './timed-worker.js';
import cryptoJs from 'otr/vendor/crypto.js';
import fullCryptoJs from 'otr/vendor/crypto.js?full';
import { installOtrPatches } from '../../src/protocol/otr/index.js';
import { activeSpeedups, uninstallSpeedups } from '../../src/protocol/otr/speedups.js';

for (const part of ['AES', 'mode', 'pad'] as const) cryptoJs[part] ??= fullCryptoJs[part];
// Installed first (as the first session would), so that they are not installed again after this.
installOtrPatches();
uninstallSpeedups();
if (activeSpeedups().length) throw new Error(`stock worker still has ${activeSpeedups().join(', ')}`);
