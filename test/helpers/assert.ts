/** Minimal assertions for browser tests (mocha under @web/test-runner). */

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

export function assertEqual<T>(actual: T, expected: T, message = 'values differ'): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`Assertion failed: ${message}\n  expected: ${e?.slice(0, 500)}\n  actual:   ${a?.slice(0, 500)}`);
}

/** Await `promise` and return what it rejected with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>, message: string): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error(`Assertion failed: expected a rejection: ${message}`);
}
