// Peak resident memory of Chromium's renderer processes (which host the page and its workers),
// sampled from /proc while a bench runs. Workers have no `performance.memory`, so this is the
// honest number we can read from outside: RSS of the renderer, in MiB.
import { readdirSync, readFileSync } from 'node:fs';

/** Sum of VmRSS over processes whose command line has `--type=renderer`, in MiB; undefined off Linux. */
export function rendererRssMiB() {
  let total = 0;
  let found = false;
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('--type=renderer')) continue;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
      if (kb) { total += Number(kb); found = true; }
    } catch {
      // the process ended meanwhile
    }
  }
  return found ? total / 1024 : undefined;
}

/** Sample every `ms`; `label()` names the phase a sample belongs to. Returns a stop function giving peaks per label. */
export function sampleRendererMemory(label, ms = 100) {
  const peaks = new Map();
  const timer = setInterval(() => {
    const rss = rendererRssMiB();
    const key = label();
    if (rss !== undefined && key) peaks.set(key, Math.max(peaks.get(key) ?? 0, rss));
  }, ms);
  return () => {
    clearInterval(timer);
    return peaks;
  };
}
