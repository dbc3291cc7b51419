/**
 * Reading a tenant through an export (baseline: tenant): a 100,000 and a 1,000,000-user export from the
 * emulator, each read by a fresh process (bench/export-read-worker.ts), for its time and its peak RSS.
 * Streaming must hold one piece of the file at a time, so its peak RSS must not grow with the users;
 * keeping every user (readTenantUsers) grows by their compact texts, measured per user.
 */
import path from 'node:path';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import type { ExportReadMode, ExportReadRun } from './export-read-worker.js';
import { figure, type Figure } from './figures.js';
import { MB, runProcess, TS_HOOKS } from './measure.js';

const WORKER = path.join(import.meta.dirname, 'export-read-worker.ts');
const DATABASE = 'Username-Password-Authentication';
const SEED_BATCH = 100_000;

const FIRST = ['Ada', 'Alan', 'Grace', 'Katherine', 'Margaret'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Johnson', 'Hamilton'];
const PLANS = ['free', 'pro', 'team'];

/** A user as a users file would have imported it: what an export then brings back. */
function tenantUser(i: number): Record<string, unknown> {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  return {
    email: `${first}.${last}.${i}@example.com`.toLowerCase(),
    user_id: `u${i.toString(36)}`,
    email_verified: i % 3 !== 0,
    given_name: first,
    family_name: last,
    name: `${first} ${last}`,
    app_metadata: { plan: PLANS[i % PLANS.length], roles: ['reader'] },
    user_metadata: { language: 'en', signup: 1_600_000_000 + i },
  };
}

export interface ExportReadResult {
  users: number;
  fileBytes: number;
  stream: ExportReadRun;
  collect: ExportReadRun;
  baselineRssBytes: number;
}

/** One worker process; `baseline` talks to no emulator. */
async function readIn(emulator: Emulator | undefined, mode: ExportReadMode): Promise<ExportReadRun> {
  const connection = emulator?.connections.find((candidate) => candidate.name === DATABASE);
  const target = emulator
    ? [emulator.url, emulator.clientId, emulator.clientSecret, connection!.id]
    : ['-', '-', '-', '-'];
  const run = await runProcess(['--expose-gc', '--import', TS_HOOKS, WORKER, ...target, mode]);
  if (run.code !== 0) throw new Error(`export-read-worker ${mode} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as ExportReadRun;
}

async function measure(users: number, baselineRssBytes: number): Promise<ExportReadResult> {
  // Jobs end at once: what is measured is the reading, not the waiting.
  const emulator = await startEmulator({
    clients: [{ scopes: ['read:users'] }],
    exportTiming: { pendingMs: 0, processingMs: 0 },
  });
  try {
    for (let start = 0; start < users; start += SEED_BATCH) {
      const batch = Array.from({ length: Math.min(SEED_BATCH, users - start) }, (_, i) =>
        tenantUser(start + i),
      );
      emulator.state.seedUsers(DATABASE, batch as never);
    }
    const stream = await readIn(emulator, 'stream');
    const collect = await readIn(emulator, 'collect');
    for (const run of [stream, collect]) {
      if (run.users !== users) throw new Error(`read ${run.users} of ${users} users`);
    }
    return { users, fileBytes: stream.bytes, stream, collect, baselineRssBytes };
  } finally {
    await emulator.close();
  }
}

function figuresOf(result: ExportReadResult): Figure[] {
  const label = `read a ${result.users.toLocaleString('en-US')}-user export (${(result.fileBytes / MB).toFixed(1)} MB gzip)`;
  const over = (run: ExportReadRun) => (run.maxRssBytes - result.baselineRssBytes) / MB;
  return [
    figure(
      `${label}: stream`,
      result.stream.readMs,
      'ms',
      undefined,
      'from the job seen completed to the last user: download, gunzip, parse, file shape',
    ),
    figure(`${label}: stream, peak RSS over node's`, over(result.stream), 'MB'),
    figure(`${label}: keep every user (readTenantUsers)`, result.collect.readMs, 'ms'),
    figure(`${label}: keep every user, peak RSS over node's`, over(result.collect), 'MB'),
    figure(`${label}: heap per kept user`, result.collect.keptHeapBytes! / result.users, 'bytes'),
  ];
}

/**
 * Each size's export read by a streaming and a keeping process, and, with two sizes or more, how much
 * the streaming peak RSS grows from the smallest to the largest (bounded: it should barely grow).
 */
export async function benchExportRead(
  sizes: readonly number[],
): Promise<{ figures: Figure[]; results: ExportReadResult[] }> {
  const baseline = (await readIn(undefined, 'baseline')).maxRssBytes;
  const results: ExportReadResult[] = [];
  for (const users of sizes) results.push(await measure(users, baseline));
  const figures = results.flatMap(figuresOf);
  const smallest = results[0];
  const largest = results.at(-1);
  if (smallest && largest && largest !== smallest) {
    figures.push(
      figure(
        `stream peak RSS, ${largest.users.toLocaleString('en-US')} users / ${smallest.users.toLocaleString('en-US')}`,
        largest.stream.maxRssBytes / smallest.stream.maxRssBytes,
        '×',
        { op: '≤', limit: 1.5 },
        `whole process; ${(largest.users / smallest.users).toFixed(0)}× the users`,
      ),
    );
  }
  return { figures, results };
}
