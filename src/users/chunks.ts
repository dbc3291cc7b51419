/** Packs users, in file order, into as few import jobs as Auth0's size limit allows. */
import type { UserList } from './run-users.js';

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
 * `limit` is what the users part may take: the request body's limit less its multipart envelope.
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

/** One job's worth of users: what is sent, under which external_id, and where its users stand. */
export interface Chunk {
  /** As the log and summary name it: "3", or "3.1" and "3.2" for the halves of a chunk Auth0 found too large. */
  label: string;
  users: UserList;
  /** UTF-8 bytes of the users part. */
  bytes: number;
  /** Sent with the job, so the tenant's logs tie it to this run. */
  externalId: string;
  /** Where its users stand, e.g. `users.json:2-1040`. */
  source: string;
}

/** The chunks of a plan, each knowing its users; `externalIdPrefix` gets `#<label>` appended. */
export function buildChunks(users: UserList, spans: readonly ChunkSpan[], externalIdPrefix: string): Chunk[] {
  return spans.map((span, i) =>
    chunkOf(users.slice(span.first, span.first + span.count), String(i + 1), externalIdPrefix),
  );
}

function chunkOf(users: UserList, label: string, externalIdPrefix: string): Chunk {
  // `[`, the users, a comma between each two, `]`.
  let bytes = Math.max(2, 1 + users.length);
  for (const user of users) bytes += user.bytes;
  return {
    label,
    users,
    bytes,
    externalId: `${externalIdPrefix}#${label}`,
    source: sourceOf(users),
  };
}

function sourceOf(users: UserList): string {
  const first = users.at(0);
  const last = users.at(-1);
  if (!first || !last) return '';
  return first.file === last.file
    ? `${first.file}:${first.line}-${last.line}`
    : `${first.file}:${first.line} - ${last.file}:${last.line}`;
}

/**
 * The two halves of a chunk Auth0 refused as too large (413: nothing was created). Undefined for a
 * single user, which cannot be split.
 */
export function splitChunk(chunk: Chunk): [Chunk, Chunk] | undefined {
  if (chunk.users.length < 2) return undefined;
  const half = Math.ceil(chunk.users.length / 2);
  const prefix = chunk.externalId.slice(0, chunk.externalId.length - chunk.label.length - 1);
  return [
    chunkOf(chunk.users.slice(0, half), `${chunk.label}.1`, prefix),
    chunkOf(chunk.users.slice(half), `${chunk.label}.2`, prefix),
  ];
}
