import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../src/users/chunks.js';

function usersPart(users: readonly string[]): string {
  return `[${users.join(',')}]`;
}

/** The fewest chunks for a fixed order, by dynamic programming: the reference the greedy plan must match. */
function fewestChunks(sizes: readonly number[], limit: number): number {
  const best = new Array<number>(sizes.length + 1).fill(Infinity);
  best[0] = 0;
  for (let end = 1; end <= sizes.length; end++) {
    let bytes = 1;
    for (let start = end - 1; start >= 0; start--) {
      bytes += sizes[start]! + 1;
      if (bytes > limit) break;
      best[end] = Math.min(best[end]!, best[start]! + 1);
    }
  }
  return best[sizes.length]!;
}

const user = fc
  .record({
    email: fc.emailAddress(),
    name: fc.string({ maxLength: 40 }),
    n: fc.bigInt({ min: 0n, max: 10n ** 20n }),
  })
  .map(({ email, name, n }) => `{"email":${JSON.stringify(email)},"name":${JSON.stringify(name)},"n":${n}}`);

describe('planChunks', () => {
  it('keeps every user once, in order, within the limit, in the fewest chunks', () => {
    fc.assert(
      fc.property(
        fc.array(user, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 150, max: 2_000 }),
        (users, limit) => {
          const sizes = users.map((json) => Buffer.byteLength(json));
          const plan = planChunks(sizes, limit);
          const packed = plan.chunks.map((chunk) => users.slice(chunk.first, chunk.first + chunk.count));
          for (const [i, chunk] of plan.chunks.entries()) {
            const text = usersPart(packed[i]!);
            expect(Buffer.byteLength(text)).toBe(chunk.bytes);
            expect(chunk.bytes).toBeLessThanOrEqual(limit);
            expect(JSON.parse(text)).toEqual(packed[i]!.map((json) => JSON.parse(json)));
          }
          const sent = packed.flat();
          const expected = users.filter((_, i) => !plan.oversized.includes(i));
          expect(sent).toEqual(expected);
          expect(plan.oversized.every((i) => sizes[i]! + 2 > limit)).toBe(true);
          if (plan.oversized.length === 0) expect(plan.chunks.length).toBe(fewestChunks(sizes, limit));
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('fills a chunk to exactly the limit', () => {
    expect(planChunks([4, 4, 4], 2 + 4 + 1 + 4).chunks).toEqual([
      { first: 0, count: 2, bytes: 11 },
      { first: 2, count: 1, bytes: 6 },
    ]);
  });

  it('leaves a user larger than the limit out and starts a new chunk after it', () => {
    expect(planChunks([3, 20, 3], 10)).toEqual({
      chunks: [
        { first: 0, count: 1, bytes: 5 },
        { first: 2, count: 1, bytes: 5 },
      ],
      oversized: [1],
    });
  });
});
