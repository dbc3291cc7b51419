import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExportError,
  forEachTenantUser,
  LINK_FRESH_MS,
  readTenantUsers,
  type ExportReport,
  type TenantUsers,
} from '../../src/auth0/export.js';
import { CancelledError, DeadlineError, isPermanentRefusal } from '../../src/auth0/http.js';
import type { TenantUser } from '../../src/auth0/tenant-user.js';
import { DEFAULT_TIMING, type Clock } from '../../src/auth0/timing.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { databaseId, emulatorClient } from '../support/client.js';
import { virtualClock } from '../support/virtual-clock.js';

const DATABASE = 'Username-Password-Authentication';
const ADA = { email: 'ada@example.com', user_id: 'ada', given_name: 'Ada', app_metadata: { plan: 'gold' } };
const GRACE = { email: 'grace@example.com', user_id: 'grace' };
/** Export jobs as the tests meet them: a second pending, ten processing. */
const EXPORT_TIMING = { pendingMs: 1_000, processingMs: 10_000 };

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Run {
  signal?: AbortSignal;
  /** Ms of the client's clock from the start. Default: an hour. */
  deadlineIn?: number;
  dispatcher?: Dispatcher;
}

/**
 * An emulator holding `users`, whose client may read them, on virtual time shared with the client:
 * the client's waits move both clocks; `jump` moves both, `skew` the emulator's alone.
 */
async function setUp(options: EmulatorOptions = {}, users: object[] = [ADA, GRACE]) {
  const base = virtualClock();
  let ahead = 0;
  let emulatorAhead = 0;
  let beforeSleep = () => {};
  const clock: Clock = {
    now: () => base.now() + ahead,
    sleep: (ms, signal) => {
      beforeSleep();
      return base.sleep(ms, signal);
    },
    random: base.random,
  };
  const started = clock.now();
  emulator = await startEmulator({
    clock: { now: () => clock.now() + emulatorAhead },
    clients: [{ scopes: ['read:users'] }],
    exportTiming: EXPORT_TIMING,
    ...options,
  });
  const running = emulator;
  running.state.seedUsers(DATABASE, users as never);
  const logs: string[] = [];
  let listener: (line: string) => void = () => {};
  const log = (line: string) => {
    logs.push(line);
    listener(line);
  };
  const edge = { clock, timing: DEFAULT_TIMING, log };
  const request = { connectionId: databaseId(running) };
  async function withClient<T>(run: Run, work: (api: ReturnType<typeof client>) => Promise<T>): Promise<T> {
    const api = client(run);
    try {
      return await work(api);
    } finally {
      await api.close();
    }
  }
  const client = (run: Run) =>
    emulatorClient(running, {
      clock,
      timing: DEFAULT_TIMING,
      log,
      context: {
        signal: run.signal ?? new AbortController().signal,
        deadline: started + (run.deadlineIn ?? 3_600_000),
      },
      ...(run.dispatcher ? { dispatcher: run.dispatcher } : {}),
    }).api;
  return {
    emulator: running,
    logs,
    /** Time the client spent waiting. */
    slept: () => base.slept(),
    jump: (ms: number) => (ahead += ms),
    skew: (ms: number) => (emulatorAhead += ms),
    /** Calls `then` with each log line as the client writes it. */
    onLog: (then: (line: string) => void) => (listener = then),
    /** Calls `then` each time the client is about to wait. */
    onSleep: (then: () => void) => (beforeSleep = then),
    read: (run: Run = {}): Promise<TenantUsers> =>
      withClient(run, (api) => readTenantUsers(api, request, edge)),
    visit: (add: (user: TenantUser) => void, run: Run = {}): Promise<ExportReport> =>
      withClient(run, (api) => forEachTenantUser(api, request, edge, { add, restart: () => {} })),
  };
}

/** Another file host, answering every request with `respond`. */
async function startHost(
  respond: (response: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => respond(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A dispatcher that sends the first download to `origin` instead; the caller closes it. */
function firstDownloadTo(origin: string): Dispatcher {
  let redirected = false;
  return new Agent().compose((dispatch) => (options, handler) => {
    if (redirected || !options.path.startsWith('/users-exports/')) return dispatch(options, handler);
    redirected = true;
    return dispatch({ ...options, origin }, handler);
  });
}

function statusesOf(emulator: Emulator, route: string): (number | 'reset')[] {
  return emulator.state.requests
    .filter((request) => request.route === route)
    .map((request) => request.status);
}

describe('readTenantUsers', () => {
  it("reads a connection's users from a gzip export, keyed by lower-cased email", async () => {
    const { emulator, read } = await setUp({}, [ADA, { email: 'Grace@Example.com' }]);

    const tenant = await read();

    expect([...emulator.state.exports[0]!.file!.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect([...tenant.byEmail.keys()]).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('reads a plain export', async () => {
    const { read } = await setUp({ gzipExports: false });

    const tenant = await read();

    expect(JSON.parse(tenant.byEmail.get('grace@example.com')!)).toMatchObject({
      email: 'grace@example.com',
      user_id: 'grace',
    });
  });

  it('holds each user in file shape: auth0| off the user_id, no identities, keys sorted', async () => {
    const { read } = await setUp();

    const tenant = await read();

    const text = tenant.byEmail.get('ada@example.com')!;
    const user = JSON.parse(text) as Record<string, unknown>;
    expect(user).toMatchObject(ADA);
    expect(user).not.toHaveProperty('identities');
    expect(Object.keys(user)).toEqual(Object.keys(user).sort());
  });

  it('keeps what changed in the tenant since the import', async () => {
    const { emulator, read } = await setUp();
    emulator.state.editUser('auth0|ada', { name: 'Ada Lovelace', blocked: true });

    const tenant = await read();

    expect(JSON.parse(tenant.byEmail.get('ada@example.com')!)).toMatchObject({
      name: 'Ada Lovelace',
      blocked: true,
    });
  });

  it('asks the export for the attributes a users file can hold, as NDJSON', async () => {
    const { emulator, read } = await setUp();

    await read();

    expect(emulator.state.exports[0]).toMatchObject({ format: 'json', connection: { name: DATABASE } });
    expect(emulator.state.exports[0]!.fields?.map((field) => field.name)).toContain('app_metadata');
  });

  it('says in the log how the export job goes and how many users it read', async () => {
    const { logs, read } = await setUp();

    const { jobId } = await read();

    expect(logs).toEqual(
      expect.arrayContaining([
        `Export job ${jobId}: processing, 0%`,
        `Export job ${jobId}: completed`,
        expect.stringMatching(
          new RegExp(`^Export job ${jobId}: read 2 users \\(0\\.0 MB downloaded\\) in \\d+s$`),
        ),
      ]),
    );
  });

  it('says how far the download got at least every 30 s', async () => {
    const { jump, logs, visit } = await setUp();

    const { jobId } = await visit(() => jump(DEFAULT_TIMING.progressEveryMs));

    expect(logs).toContain(`Export job ${jobId}: 2 users read, 0.0 MB downloaded`);
  });

  it('reads 100,000 users, each as it was imported', async () => {
    const users = Array.from({ length: 100_000 }, (_, i) => ({
      email: `user${i}@example.com`,
      user_id: `u${i}`,
      user_metadata: { n: i },
    }));
    const { read } = await setUp({}, users);

    const tenant = await read();

    expect(tenant.byEmail.size).toBe(100_000);
    expect(JSON.parse(tenant.byEmail.get('user77777@example.com')!)).toMatchObject(users[77_777]!);
  });
});

describe('the download link', () => {
  it('is renewed by reading the job again when it expired before the download', async () => {
    const { emulator, onLog, read, skew } = await setUp();
    onLog((line) => {
      if (line.endsWith(': completed')) skew(60_000);
    });

    const tenant = await read();

    expect(statusesOf(emulator, 'export-download')).toEqual([403, 200]);
    expect(tenant.byEmail.size).toBe(2);
  });

  it(`is renewed before use when it is over ${LINK_FRESH_MS / 1000} s old`, async () => {
    const { emulator, jump, logs, onLog, read } = await setUp();
    onLog((line) => {
      if (line.endsWith(': completed')) jump(LINK_FRESH_MS + 1);
    });

    await read();

    expect(statusesOf(emulator, 'export-download')).toEqual([200]);
    expect(logs).toContainEqual(expect.stringContaining('the download link is over 50 s old'));
  });

  it('is given up after a bounded number of refusals, saying why', async () => {
    const { emulator, read } = await setUp();
    // Every link is refused, as S3 refuses one whose signature it did not make.
    const forging = new Agent().compose(
      (dispatch) => (options, handler) =>
        dispatch(
          { ...options, path: options.path.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=forged') },
          handler,
        ),
    );

    const reading = read({ dispatcher: forging }).finally(() => forging.close());

    await expect(reading).rejects.toThrow(
      /after 5 attempts: the file's host answered 403 SignatureDoesNotMatch \(The request signature we calculated does not match the signature you provided\.\)\. Run again later\.$/,
    );
    expect(statusesOf(emulator, 'export-download')).toHaveLength(DEFAULT_TIMING.maxAttempts);
  });

  it('is renewed, and the file read again from its start, when the download breaks part way', async () => {
    const { emulator, read } = await setUp();
    // The first download gets the start of another file, then the connection drops.
    const start = '{"email":"ghost@example.com"}\n{"email":"gh';
    const breaking = await startHost((response) => {
      response.writeHead(200, { 'content-length': String(start.length * 10) });
      response.write(start, () => setTimeout(() => response.destroy(), 20));
    });
    const redirecting = firstDownloadTo(breaking.url);

    const tenant = await read({ dispatcher: redirecting }).finally(async () => {
      await redirecting.close();
      await breaking.close();
    });

    expect([...tenant.byEmail.keys()]).toEqual(['ada@example.com', 'grace@example.com']);
    expect(tenant.users).toBe(2);
    expect(statusesOf(emulator, 'export-download')).toEqual([200]);
  });

  it('is not tried again when the file is not NDJSON, whose line is named but not quoted', async () => {
    const { read } = await setUp();
    const garbled = await startHost((response) =>
      response.end('{"email":"ada@example.com"}\n{"email":"secret@example.com"\n'),
    );
    const redirecting = firstDownloadTo(garbled.url);

    const error = await read({ dispatcher: redirecting })
      .catch((error: unknown) => error)
      .finally(async () => {
        await redirecting.close();
        await garbled.close();
      });

    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(
      /^Export job job_\w+: line 2 of the export is not JSON; the tenant's users cannot be read from it\.$/,
    );
  });

  it('is sent to its host without the bearer token', async () => {
    const { read } = await setUp();
    const sent: { path: string; bearer: boolean }[] = [];
    const recording = new Agent().compose((dispatch) => (options, handler) => {
      sent.push({ path: options.path, bearer: /authorization/i.test(JSON.stringify(options.headers)) });
      return dispatch(options, handler);
    });

    try {
      await read({ dispatcher: recording });
    } finally {
      await recording.close();
    }

    expect(sent.find((request) => request.path === '/api/v2/jobs/users-exports')?.bearer).toBe(true);
    expect(sent.filter((request) => request.path.startsWith('/users-exports/'))).toEqual([
      { path: expect.any(String), bearer: false },
    ]);
  });
});

describe('an export that cannot be read', () => {
  it('ends with a clear error when the export job fails', async () => {
    const { emulator, read } = await setUp();
    emulator.faults.failJob('next', 'Internal error');

    await expect(read()).rejects.toThrow(
      new RegExp(
        `^Export job job_\\w+ failed: Internal error\\. Run again; if it fails again, check the tenant's logs\\.$`,
      ),
    );
  });

  it('ends with a clear error when the export job vanishes while it runs', async () => {
    const { emulator, read } = await setUp();
    emulator.faults.expireJob('next');

    const error = await read().catch((error: unknown) => error);

    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(/^Export job job_\w+ vanished: Auth0 answered 404 for it/);
  });

  it('ends with a clear error when the export job vanishes before its file is read', async () => {
    const { emulator, onLog, read } = await setUp();
    onLog((line) => {
      const completed = /^Export job (job_\w+): completed$/.exec(line);
      if (completed) emulator.faults.expireJob(completed[1]!);
    });

    await expect(read()).rejects.toThrow(/vanished/);
    expect(statusesOf(emulator, 'export-download')).toEqual([404]);
  });

  it('is refused at once, naming read:users, when the token lacks it', async () => {
    const { emulator, read } = await setUp({ clients: [{ scopes: ['create:users'] }] });

    const error = await read().catch((error: unknown) => error);

    expect(isPermanentRefusal(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Starting an export of the users of connection con_\w+ \(needs the read:users scope\): Auth0 answered 403 insufficient_scope: Insufficient scope, expected any of: read:users$/,
    );
    expect(statusesOf(emulator, 'create-export')).toEqual([403]);
  });

  it('stops at once when Auth0 refuses the credentials while the job runs', async () => {
    const { emulator, onSleep, read } = await setUp();
    // Every token is refused before its next use: as if the application's grant was removed.
    onSleep(() => emulator.faults.revokeTokens());

    const error = await read().catch((error: unknown) => error);

    expect(isPermanentRefusal(error)).toBe(true);
    // Refused, renewed once, refused again: no more polls.
    expect(statusesOf(emulator, 'job-status')).toEqual([401, 200, 401]);
  });
});

describe('waiting for the export', () => {
  it('stops when the run is cancelled while the job runs', async () => {
    const { emulator, onLog, read } = await setUp();
    emulator.faults.keepProcessing('next');
    const controller = new AbortController();
    onLog((line) => {
      if (line.includes(': processing')) controller.abort();
    });

    await expect(read({ signal: controller.signal })).rejects.toThrow(CancelledError);
  });

  it('stops when the run is cancelled while the file is read, though the whole file is in', async () => {
    const { visit } = await setUp();
    const controller = new AbortController();
    const seen: string[] = [];

    const reading = visit(
      (user) => {
        seen.push(user.key!);
        controller.abort();
      },
      { signal: controller.signal },
    );

    await expect(reading).rejects.toThrow(CancelledError);
    expect(seen).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('stops at the deadline while the file is read', async () => {
    const { jump, visit } = await setUp();

    await expect(visit(() => jump(3_600_000))).rejects.toThrow(
      /^wait-timeout-seconds ran out while downloading the file of export job job_\w+$/,
    );
  });

  it('stops at the deadline while the job runs', async () => {
    const { emulator, read, slept } = await setUp();
    emulator.faults.keepProcessing('next');

    await expect(read({ deadlineIn: 120_000 })).rejects.toThrow(DeadlineError);
    expect(slept()).toBe(120_000);
  });
});
