/**
 * memberSwap: the one way speed-ups replace a single otr.js function, and put it back.
 */
import { describe, expect, it } from 'vitest';
import { memberSwap } from '../../src/protocol/otr/member-swap.js';

type Twice = (x: number) => number;

describe('memberSwap', () => {
  const own: Twice = (x) => x * 2;
  const fast: Twice = (x) => x + x;

  it('installs once per target, puts the original back, and says which one is in place', () => {
    const swap = memberSwap<Twice>('twice');
    const target = { twice: own };
    let made = 0;
    const make = (original: Twice) => (made++, expect(original).toBe(own), fast);
    expect(swap.active(target)).toBe(false);
    expect(swap.install(target, make)).toBe(true);
    expect(target.twice).toBe(fast);
    expect(swap.active(target)).toBe(true);
    swap.uninstall(target);
    expect(target.twice).toBe(own);
    expect(swap.active(target)).toBe(false);
    expect(swap.install(target, make)).toBe(true); // the same replacement again, not a new one
    expect(target.twice).toBe(fast);
    expect(made).toBe(1);
  });

  it('keeps each target apart', () => {
    const swap = memberSwap<Twice>('twice');
    const [a, b] = [{ twice: own }, { twice: own }];
    swap.install(a, () => fast);
    expect([swap.active(a), swap.active(b)]).toEqual([true, false]);
    swap.uninstall(b); // never installed: nothing to put back
    expect([a.twice, b.twice]).toEqual([fast, own]);
  });

  it('refuses without such a function, or when make refuses, and touches nothing', () => {
    const swap = memberSwap<Twice>('twice');
    const refused = { twice: own };
    expect(swap.install(refused, () => undefined)).toBe(false);
    expect(refused.twice).toBe(own);
    expect(swap.active(refused)).toBe(false);
    expect(swap.install(refused, () => fast)).toBe(true); // a later make that accepts still installs
    const notAFunction = { twice: 2 };
    expect(swap.install(notAFunction, () => fast)).toBe(false);
    expect(notAFunction.twice).toBe(2);
    expect(swap.install(undefined, () => fast)).toBe(false);
    expect(swap.active(undefined)).toBe(false);
  });

  it('notices when something else replaced the member after it', () => {
    const swap = memberSwap<Twice>('twice');
    const target = { twice: own };
    swap.install(target, () => fast);
    target.twice = (x) => 2 * x;
    expect(swap.active(target)).toBe(false);
  });
});
