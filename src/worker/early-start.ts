/**
 * Imported first by worker.ts (imports are evaluated in order, before the
 * importing module's body): starts the early identity read for this worker's
 * name as soon as this tiny module is evaluated, ahead of the otr.js graph.
 */
import { IDENTITY_RECORD, startEarlyRead, type EarlyRead } from './early-read.js';

/** This worker's identity name (its `name`, as `startEngine` sets it). */
export const workerName = (globalThis as unknown as { name?: string }).name || 'default';

/** The read started for {@link workerName}. */
export const early: EarlyRead = startEarlyRead(workerName, [IDENTITY_RECORD]);
