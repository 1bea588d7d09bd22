/** Test helper: wait for a condition by polling. Works in Node and in the browser. */

/** Poll `check` until true, or reject after `ms` with `what` in the message. */
export function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}
