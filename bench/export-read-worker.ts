/**
 * One read of a tenant's users through an export, in a fresh process so that its peak RSS is its own:
 * `node --expose-gc --import scripts/ts-hooks.mjs bench/export-read-worker.ts <origin> <client id>
 * <client secret> <connection id> <stream|collect|baseline>`.
 * `stream` hands each user to a sink that only counts; `collect` keeps them all (readTenantUsers);
 * `baseline` loads the same modules and reads nothing. Prints one line of JSON (ExportReadRun).
 */
import { forEachTenantUser, readTenantUsers } from '../src/auth0/export.js';
import { connectTenant } from '../src/auth0/tenant.js';
import { DEFAULT_TIMING, systemClock } from '../src/auth0/timing.js';
import { peakRssBytes } from './measure.js';

export type ExportReadMode = 'stream' | 'collect' | 'baseline';

export interface ExportReadRun {
  users: number;
  /** The file as downloaded (gzip). */
  bytes: number;
  /** From seeing the job completed to the last user read: download, gunzip, parse, file shape. */
  readMs: number;
  maxRssBytes: number;
  /** collect only: heap the kept users take, after a full GC. */
  keptHeapBytes?: number;
}

const [origin, clientId, clientSecret, connectionId, mode] = process.argv.slice(2);
if (
  !origin ||
  !clientId ||
  !clientSecret ||
  !connectionId ||
  !['stream', 'collect', 'baseline'].includes(mode!)
) {
  throw new Error('usage: export-read-worker.ts <origin> <client id> <client secret> <connection id> <mode>');
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run export-read-worker.ts with --expose-gc');

let run: ExportReadRun = { users: 0, bytes: 0, readMs: 0, maxRssBytes: 0 };
if (mode !== 'baseline') {
  const tenant = await connectTenant(
    {
      origin,
      credentials: { kind: 'client', clientId, clientSecret, audience: `${origin}/api/v2/` },
      connection: { id: connectionId },
    },
    new Map([['read:users', 'reading the tenant']]),
    {
      clock: systemClock,
      timing: DEFAULT_TIMING,
      context: { signal: new AbortController().signal, deadline: Infinity },
      log: () => {},
      setSecret: () => {},
    },
  );
  let completedAt = 0;
  const edge = {
    clock: systemClock,
    timing: DEFAULT_TIMING,
    log: (line: string) => {
      if (line.endsWith(': completed')) completedAt = performance.now();
    },
  };
  const request = { connectionId: tenant.connectionId };
  try {
    if (mode === 'stream') {
      const report = await forEachTenantUser(tenant.api, request, edge, { add: () => {}, restart: () => {} });
      run = {
        users: report.users,
        bytes: report.bytes,
        readMs: performance.now() - completedAt,
        maxRssBytes: 0,
      };
    } else {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = await readTenantUsers(tenant.api, request, edge);
      const readMs = performance.now() - completedAt;
      gc();
      run = {
        users: kept.users,
        bytes: kept.bytes,
        readMs,
        maxRssBytes: 0,
        keptHeapBytes: process.memoryUsage().heapUsed - before,
      };
      if (kept.byEmail.size !== kept.users)
        throw new Error(`kept ${kept.byEmail.size} of ${kept.users} users`);
    }
  } finally {
    await tenant.close();
  }
}
console.log(JSON.stringify({ ...run, maxRssBytes: peakRssBytes() }));
