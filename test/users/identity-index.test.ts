import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdentityIndex, type KeyComparison } from '../../src/users/identity-index.js';

/** The oracle: a Map keyed by the string itself, or by its toLowerCase(). */
function mapModel(comparison: KeyComparison) {
  const map = new Map<string, number>();
  const keyOf = (key: string) => (comparison === 'ignore case' ? key.toLowerCase() : key);
  return (key: string, value: number): number | undefined => {
    const earlier = map.get(keyOf(key));
    if (earlier === undefined) map.set(keyOf(key), value);
    return earlier;
  };
}

describe('IdentityIndex', () => {
  it('gives the first value of a key seen again, exactly or ignoring case', () => {
    const exact = new IdentityIndex('exact');
    expect(exact.firstOrAdd('u1', 1)).toBeUndefined();
    expect(exact.firstOrAdd('U1', 2)).toBeUndefined();
    expect(exact.firstOrAdd('u1', 3)).toBe(1);
    expect(exact.size).toBe(2);

    const ignoringCase = new IdentityIndex('ignore case');
    expect(ignoringCase.firstOrAdd('Ann@X.io', 1)).toBeUndefined();
    expect(ignoringCase.firstOrAdd('ann@x.IO', 2)).toBe(1);
    // Beyond ASCII, as toLowerCase sees it: Ë and ë, and İ, whose lower case is two code units.
    expect(ignoringCase.firstOrAdd('ZOË@x.io', 3)).toBeUndefined();
    expect(ignoringCase.firstOrAdd('zoë@X.IO', 4)).toBe(3);
    expect(ignoringCase.firstOrAdd('İ@x.io', 5)).toBeUndefined();
    expect(ignoringCase.firstOrAdd('i̇@x.io', 6)).toBe(5);
    expect(ignoringCase.firstOrAdd('i@x.io', 7)).toBeUndefined();
    expect(ignoringCase.size).toBe(4);
  });

  it('tells apart keys whose hashes are the same', () => {
    // Known collisions of 32-bit FNV-1a, the hash it uses.
    for (const comparison of ['exact', 'ignore case'] as const) {
      const index = new IdentityIndex(comparison);
      expect(index.firstOrAdd('costarring', 1)).toBeUndefined();
      expect(index.firstOrAdd('liquid', 2)).toBeUndefined();
      expect(index.firstOrAdd('LIQUID', 3)).toBe(comparison === 'exact' ? undefined : 2);
      expect(index.firstOrAdd('costarring', 4)).toBe(1);
    }
  });

  it('holds many keys as it grows, each with its own value', () => {
    const index = new IdentityIndex('ignore case');
    const count = 50_000;
    for (let i = 0; i < count; i++) expect(index.firstOrAdd(`user.${i}@example.com`, i)).toBeUndefined();
    for (let i = 0; i < count; i += 997) expect(index.firstOrAdd(`USER.${i}@EXAMPLE.COM`, -1)).toBe(i);
    expect(index.size).toBe(count);
  });

  it('agrees with a Map on any keys, in either comparison', () => {
    // Few characters, so that keys repeat, some only in case; and some beyond ASCII.
    const key = fc.string({
      unit: fc.constantFrom('a', 'A', 'b', 'B', 'é', 'É', 'İ', 'ß', '1'),
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        fc.constantFrom<KeyComparison>('exact', 'ignore case'),
        fc.array(key, { maxLength: 3000 }),
        (comparison, keys) => {
          const index = new IdentityIndex(comparison);
          const model = mapModel(comparison);
          keys.forEach((k, i) => expect(index.firstOrAdd(k, i)).toBe(model(k, i)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
