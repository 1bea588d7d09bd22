/**
 * Bench baseline: the same worker with every speed-up removed before any
 * work, i.e. stock otr.js 0.2.16 (bigint.js, CryptoJS, eager DH sessions,
 * timer-paced output) under our engine and correctness fixes.
 */
import './timed-worker.js';
import { uninstallSpeedups } from '../../src/protocol/otr-speedups.js';
import { activeSpeedups } from '../../src/protocol/otr-speedups.js';

uninstallSpeedups();
if (activeSpeedups().length) throw new Error(`stock worker still has ${activeSpeedups().join(', ')}`);
