/** Packs users, in file order, into as few import jobs as Auth0's size limit allows. */

/** Auth0 refuses a users part larger than this (413). */
export const AUTH0_MAX_USERS_BYTES = 512_000;

export interface ChunkSpan {
  /** Index of the chunk's first user in the run's user list. */
  first: number;
  count: number;
  /** UTF-8 bytes of the users part: `[` + the users joined by `,` + `]`. */
  bytes: number;
}

export interface ChunkPlan {
  chunks: ChunkSpan[];
  /** Users that alone exceed the limit; they are left out of every chunk. */
  oversized: number[];
}

/**
 * Greedy packing: each chunk takes users until the next would not fit. For a fixed order this
 * gives the fewest chunks: any plan's k-th chunk ends no later than the greedy one's.
 */
export function planChunks(userBytes: readonly number[], limit: number): ChunkPlan {
  const chunks: ChunkSpan[] = [];
  const oversized: number[] = [];
  let current: ChunkSpan | undefined;
  userBytes.forEach((size, index) => {
    if (size + 2 > limit) {
      oversized.push(index);
      current = undefined;
      return;
    }
    if (current && current.bytes + 1 + size <= limit) {
      current.count++;
      current.bytes += 1 + size;
      return;
    }
    current = { first: index, count: 1, bytes: size + 2 };
    chunks.push(current);
  });
  return { chunks, oversized };
}
