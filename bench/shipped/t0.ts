/** Bench marker, evaluated first in the timed worker: when the worker's own code starts running (worker clock). */
(globalThis as { benchT0?: number }).benchT0 = performance.now();
