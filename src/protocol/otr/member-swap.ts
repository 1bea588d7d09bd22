/**
 * One member of an otr.js object (a method on a prototype, a static function) replaced by an exact
 * equivalent, reversibly. Each speed-up that swaps a single function does it through one of these,
 * so that installing twice, putting otr's own back and asking which one is in place (benchmarks
 * compare both in one run; `diagnostics()` reports what is installed) work the same way for all.
 */

/** The swap of one member, by name, on any number of objects. */
export interface MemberSwap<F> {
  /**
   * Put the replacement in place on `target`. It is made once per target, by `make` from otr's own
   * member; `make` may refuse (return `undefined`) when the environment or otr's shape is not the
   * one it knows. Idempotent.
   *
   * @returns whether the replacement is now in place (false: no such function, or `make` refused).
   */
  install(target: object | undefined, make: (original: F) => F | undefined): boolean;
  /** Put otr's own member back on `target`, if it was replaced. */
  uninstall(target: object | undefined): void;
  /** Whether the replacement is in place on `target`. */
  active(target: object | undefined): boolean;
}

/** A {@link MemberSwap} for the member `key`. */
export function memberSwap<F>(key: string): MemberSwap<F> {
  const installed = new WeakMap<object, { original: F; replacement: F }>();
  const slot = (target: object) => target as Record<string, unknown>;
  return {
    install(target, make) {
      if (!target || typeof slot(target)[key] !== 'function') return false;
      let done = installed.get(target);
      if (!done) {
        const original = slot(target)[key] as F;
        const replacement = make(original);
        if (replacement === undefined) return false;
        done = { original, replacement };
        installed.set(target, done);
      }
      slot(target)[key] = done.replacement;
      return true;
    },
    uninstall(target) {
      const done = target && installed.get(target);
      if (target && done) slot(target)[key] = done.original;
    },
    active(target) {
      const done = target && installed.get(target);
      return !!target && !!done && slot(target)[key] === done.replacement;
    },
  };
}
