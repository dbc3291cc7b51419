/** Measurement 3: how few chunks the plan needs, against a lower bound and the true optimum, and what is sent. */
import { planChunks } from '../src/users/chunks.js';
import { isUnreadable, readUsersFile } from '../src/users/read.js';
import { userJson, validateRun } from '../src/users/validate.js';
import { figure, type Figure } from './figures.js';
import type { UsersFile } from './users-files.js';

interface ChunkingResult {
  users: number;
  limit: number;
  fileBytes: number;
  /** All users as one compact array: `[` + users joined by `,` + `]`. */
  compactBytes: number;
  lowerBound: number;
  optimal: number;
  planned: number;
  /** Sum of the users parts as the action builds them. */
  bytesSent: number;
  /** Mean users part size over the limit. */
  meanFill: number;
}

/**
 * The fewest chunks of any split of the users, in order, into parts of at most `limit` bytes, by
 * dynamic programming over every feasible last chunk: fewest[i] is the answer for the first i users.
 */
export function fewestContiguousChunks(userBytes: readonly number[], limit: number): number {
  const fewest = new Array<number>(userBytes.length + 1).fill(Infinity);
  fewest[0] = 0;
  for (let end = 1; end <= userBytes.length; end++) {
    let bytes = 1;
    for (let start = end - 1; start >= 0; start--) {
      bytes += userBytes[start]! + 1;
      if (bytes > limit) break;
      fewest[end] = Math.min(fewest[end]!, fewest[start]! + 1);
    }
  }
  return fewest[userBytes.length]!;
}

export async function benchChunking(
  workspace: string,
  users: UsersFile,
  limit: number,
): Promise<{ figures: Figure[]; result: ChunkingResult }> {
  const read = await readUsersFile(workspace, users.file);
  if (isUnreadable(read)) throw new Error(read.message);
  const valid = validateRun([read]).users;
  const userBytes = valid.map((user) => user.bytes);
  const plan = planChunks(userBytes, limit);
  if (plan.oversized.length > 0)
    throw new Error(`${plan.oversized.length} generated users exceed ${limit} bytes`);
  const bytesSent = plan.chunks.reduce(
    (sum, span) =>
      sum +
      Buffer.byteLength(
        `[${valid
          .slice(span.first, span.first + span.count)
          .map(userJson)
          .join(',')}]`,
      ),
    0,
  );
  const compactBytes = userBytes.reduce((sum, bytes) => sum + bytes + 1, 1);
  const result: ChunkingResult = {
    users: users.count,
    limit,
    fileBytes: users.bytes,
    compactBytes,
    lowerBound: Math.ceil(compactBytes / limit),
    optimal: fewestContiguousChunks(userBytes, limit),
    planned: plan.chunks.length,
    bytesSent,
    meanFill: bytesSent / plan.chunks.length / limit,
  };
  const label = `chunk ${users.count.toLocaleString('en-US')} users at ${limit.toLocaleString('en-US')} bytes`;
  return {
    figures: [
      figure(`${label}: lower bound ceil(compact bytes / limit)`, result.lowerBound, 'chunks'),
      figure(`${label}: optimal contiguous split (DP)`, result.optimal, 'chunks'),
      figure(`${label}: planChunks (greedy)`, result.planned, 'chunks', { op: '≤', limit: result.optimal }),
      figure(`${label}: mean users part / limit`, result.meanFill * 100, '%'),
      figure(`${label}: bytes sent / file size`, bytesSent / users.bytes, '×'),
    ],
    result,
  };
}
