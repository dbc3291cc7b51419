import { describe, expect, it } from 'vitest';
import {
  createExport,
  databaseConnectionId,
  download,
  exportedUsers,
  getJob,
  getToken,
  importUsers,
  exportIdOf,
  useEmulators,
} from './contract-client.js';
import { DOWNLOAD_LINK_TTL_MS, manualClock, type Emulator, type EmulatorOptions } from './index.js';

const start = useEmulators();
const DATABASE = 'Username-Password-Authentication';
const TIMING = { pendingMs: 1_000, processingMs: 1_000 };

async function startExporting(options: EmulatorOptions = {}) {
  const clock = manualClock(Date.UTC(2025, 0, 1));
  const emulator = await start({
    clock,
    jobTiming: TIMING,
    clients: [{ scopes: ['create:users', 'read:users'] }],
    ...options,
  });
  emulator.state.seedUsers(DATABASE, [
    {
      email: 'ada@example.com',
      user_id: 'ada',
      password_hash: `$2b$10$${'a'.repeat(53)}`,
      app_metadata: { plan: 'gold', roles: ['admin'] },
      user_metadata: { lang: 'en' },
    },
  ]);
  return { clock, emulator, token: await getToken(emulator) };
}

/** The download URL a completed export's job answer carries. */
async function locationOf(emulator: Emulator, token: string, id: string): Promise<string> {
  return ((await getJob(emulator, token, id)).body as { location: string }).location;
}

/** Creates an export of the database connection, lets it end, and downloads its users. */
async function runExport(
  emulator: Emulator,
  clock: ReturnType<typeof manualClock>,
  token: string,
  body: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const id = exportIdOf(
    await createExport(emulator, token, {
      connection_id: databaseConnectionId(emulator),
      format: 'json',
      ...body,
    }),
  );
  clock.advance(2_000);
  const { bytes } = await download(await locationOf(emulator, token, id));
  return exportedUsers(bytes);
}

describe('POST /api/v2/jobs/users-exports', () => {
  it('answers 201 with a pending users_export job echoing what was asked', async () => {
    const { emulator, token } = await startExporting();
    const fields = [{ name: 'email' }, { name: 'identities[0].connection', export_as: 'provider' }];

    const answer = await createExport(emulator, token, {
      connection_id: databaseConnectionId(emulator),
      format: 'json',
      limit: 5,
      fields,
    });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      type: 'users_export',
      status: 'pending',
      connection_id: databaseConnectionId(emulator),
      connection: DATABASE,
      format: 'json',
      limit: 5,
      fields,
      created_at: '2025-01-01T00:00:00.000Z',
      id: expect.stringMatching(/^job_[A-Za-z0-9]{16}$/),
    });
  });

  it.each([
    [{ format: 'xml' }, `Payload validation error: 'No enum match for: "xml"' on property format`],
    [
      { format: 'json', fields: Array.from({ length: 31 }, (_, i) => ({ name: `f${i}` })) },
      "Payload validation error: 'Array is too long (31), maximum 30' on property fields",
    ],
    [
      { format: 'json', limit: 0 },
      "Payload validation error: 'Value 0 is less than minimum 1' on property limit",
    ],
    [
      { format: 'json', connection_id: 'Username-Password-Authentication' },
      "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id",
    ],
  ])('refuses %j with 400 invalid_body', async (body, message) => {
    const { emulator, token } = await startExporting();

    const answer = await createExport(emulator, token, body);

    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message,
      errorCode: 'invalid_body',
    });
  });

  it('answers 400 "The connection does not exist." for an unknown connection_id', async () => {
    const { emulator, token } = await startExporting();

    const answer = await createExport(emulator, token, {
      connection_id: 'con_AAAAAAAAAAAAAAAA',
      format: 'json',
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: 'The connection does not exist.' });
  });

  it('answers 403 insufficient_scope to a token without read:users', async () => {
    const emulator = await start();

    const answer = await createExport(emulator, await getToken(emulator), { format: 'json' });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ message: 'Insufficient scope, expected any of: read:users' });
  });

  it('does not count exports against the two active import jobs', async () => {
    const { emulator, token } = await startExporting();
    await importUsers(emulator, token, [{ email: 'b@example.com' }]);
    await importUsers(emulator, token, [{ email: 'c@example.com' }]);

    const exported = await createExport(emulator, token, { format: 'json' });
    const third = await importUsers(emulator, token, [{ email: 'd@example.com' }]);

    expect(exported.status).toBe(201);
    expect(third.status).toBe(429);
  });
});

describe('an export job', () => {
  it('goes pending, processing, then completed with a location, on the exportTiming clock', async () => {
    const { clock, emulator, token } = await startExporting({
      exportTiming: { pendingMs: 10, processingMs: 20 },
    });
    const id = exportIdOf(await createExport(emulator, token, { format: 'json' }));

    clock.advance(10);
    const processing = await getJob(emulator, token, id);
    clock.advance(20);
    const completed = await getJob(emulator, token, id);

    expect(processing.body).toMatchObject({ status: 'processing' });
    expect(completed.body).toMatchObject({
      type: 'users_export',
      status: 'completed',
      location: expect.stringMatching(new RegExp(`^${emulator.url}/users-exports/${id}/`)),
    });
    expect(completed.body).not.toHaveProperty('percentage_done');
  });

  it('can be read with read:users alone', async () => {
    const { emulator } = await startExporting({ clients: [{ scopes: ['read:users'] }] });
    const token = await getToken(emulator);
    const id = exportIdOf(await createExport(emulator, token, { format: 'json' }));

    const answer = await getJob(emulator, token, id);

    expect(answer.status).toBe(200);
  });

  it('ends failed with no location under the failJob fault', async () => {
    const { clock, emulator, token } = await startExporting();
    emulator.faults.failJob('next');
    const id = exportIdOf(await createExport(emulator, token, { format: 'json' }));

    clock.advance(2_000);
    const answer = await getJob(emulator, token, id);

    expect(answer.body).toMatchObject({ status: 'failed' });
    expect(answer.body).not.toHaveProperty('location');
  });
});

describe('the export file', () => {
  it('is gzip-compressed NDJSON, downloaded without a bearer token', async () => {
    const { clock, emulator, token } = await startExporting();
    const id = exportIdOf(
      await createExport(emulator, token, { format: 'json', fields: [{ name: 'email' }] }),
    );
    clock.advance(2_000);
    const location = await locationOf(emulator, token, id);

    const file = await download(location);

    expect(file.status).toBe(200);
    expect([...file.bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(exportedUsers(file.bytes)).toEqual([{ email: 'ada@example.com' }]);
  });

  it('is plain NDJSON with gzipExports off', async () => {
    const { clock, emulator, token } = await startExporting({ gzipExports: false });

    const id = exportIdOf(
      await createExport(emulator, token, { format: 'json', fields: [{ name: 'email' }] }),
    );
    clock.advance(2_000);
    const file = await download(await locationOf(emulator, token, id));

    expect(file.bytes.toString()).toBe('{"email":"ada@example.com"}\n');
  });

  it('holds the default fields when none are asked for, and never a password hash', async () => {
    const { clock, emulator, token } = await startExporting();

    const [user] = await runExport(emulator, clock, token);

    expect(Object.keys(user ?? {})).toEqual([
      'user_id',
      'email',
      'email_verified',
      'name',
      'nickname',
      'picture',
      'identities',
      'app_metadata',
      'user_metadata',
      'created_at',
      'updated_at',
    ]);
    expect(JSON.stringify(user)).not.toContain('$2b$');
  });

  it('brings a whole root object, a nested value and a renamed column', async () => {
    const { clock, emulator, token } = await startExporting();

    const users = await runExport(emulator, clock, token, {
      fields: [
        { name: 'app_metadata' },
        { name: 'user_metadata.lang' },
        { name: 'identities[0].connection', export_as: 'provider' },
        { name: 'password_hash' },
      ],
    });

    expect(users).toEqual([
      { app_metadata: { plan: 'gold', roles: ['admin'] }, 'user_metadata.lang': 'en', provider: DATABASE },
    ]);
  });

  it('holds the users as they were when the job ended', async () => {
    const { clock, emulator, token } = await startExporting();
    const id = exportIdOf(
      await createExport(emulator, token, {
        format: 'json',
        fields: [{ name: 'email' }, { name: 'blocked' }],
      }),
    );
    emulator.state.editUser('auth0|ada', { blocked: true });

    clock.advance(2_000);
    const location = await locationOf(emulator, token, id);
    emulator.state.seedUsers(DATABASE, [{ email: 'late@example.com' }]);
    const { bytes } = await download(location);

    expect(exportedUsers(bytes)).toEqual([{ email: 'ada@example.com', blocked: true }]);
  });

  it('holds at most limit users', async () => {
    const { clock, emulator, token } = await startExporting();
    emulator.state.seedUsers(DATABASE, [{ email: 'b@example.com' }, { email: 'c@example.com' }]);

    const users = await runExport(emulator, clock, token, { limit: 2, fields: [{ name: 'email' }] });

    expect(users).toEqual([{ email: 'ada@example.com' }, { email: 'b@example.com' }]);
  });

  it('is a header line and quoted rows in csv', async () => {
    const { clock, emulator, token } = await startExporting({ gzipExports: false });
    const id = exportIdOf(
      await createExport(emulator, token, {
        format: 'csv',
        fields: [{ name: 'email' }, { name: 'app_metadata.plan', export_as: 'plan' }, { name: 'username' }],
      }),
    );

    clock.advance(2_000);
    const file = await download(await locationOf(emulator, token, id));

    expect(file.bytes.toString()).toBe('"email","plan","username"\n"ada@example.com","gold",\n');
  });

  it('holds every connection when no connection_id is given', async () => {
    const { clock, emulator, token } = await startExporting({
      connections: [
        { name: DATABASE, strategy: 'auth0' },
        { name: 'staff', strategy: 'auth0' },
      ],
    });
    emulator.state.seedUsers('staff', [{ email: 'grace@example.com' }]);
    const id = exportIdOf(
      await createExport(emulator, token, { format: 'json', fields: [{ name: 'email' }] }),
    );

    clock.advance(2_000);
    const file = await download(await locationOf(emulator, token, id));

    expect(exportedUsers(file.bytes)).toEqual([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
  });
});

describe('the download location', () => {
  async function completedExport() {
    const setup = await startExporting();
    const id = exportIdOf(await createExport(setup.emulator, setup.token, { format: 'json' }));
    setup.clock.advance(2_000);
    return { ...setup, id };
  }

  it('expires 60 seconds of the emulator clock after the job answer, with an S3-style 403', async () => {
    const { clock, emulator, token, id } = await completedExport();
    const location = await locationOf(emulator, token, id);

    clock.advance(DOWNLOAD_LINK_TTL_MS - 1);
    const inTime = await download(location);
    clock.advance(1);
    const late = await download(location);

    expect(inTime.status).toBe(200);
    expect(late.status).toBe(403);
    expect(late.bytes.toString()).toContain(
      '<Code>AccessDenied</Code><Message>Request has expired</Message>',
    );
  });

  it('is issued afresh, valid again, each time the job is read', async () => {
    const { clock, emulator, token, id } = await completedExport();
    const first = await locationOf(emulator, token, id);

    clock.advance(DOWNLOAD_LINK_TTL_MS);
    const second = await locationOf(emulator, token, id);

    expect(second).not.toBe(first);
    expect((await download(second)).status).toBe(200);
  });

  it('answers 403 SignatureDoesNotMatch to a forged signature', async () => {
    const { emulator, token, id } = await completedExport();
    const location = await locationOf(emulator, token, id);

    const answer = await download(location.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=forged'));

    expect(answer.status).toBe(403);
    expect(answer.bytes.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('answers 404 NoSuchKey once the job is gone', async () => {
    const { emulator, token, id } = await completedExport();
    const location = await locationOf(emulator, token, id);

    emulator.faults.expireJob(id);

    const answer = await download(location);
    expect(answer.status).toBe(404);
    expect(answer.bytes.toString()).toContain('<Code>NoSuchKey</Code>');
  });

  it('is not counted against the rate limit', async () => {
    const { clock, emulator, token } = await startExporting({ rateLimit: { rate: 1, burst: 1 } });
    const id = exportIdOf(await createExport(emulator, token, { format: 'json' }));
    clock.advance(2_000);
    const location = await locationOf(emulator, token, id);

    const answers = await Promise.all([download(location), download(location)]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[0]?.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('a big export', () => {
  it('seeds and exports 100,000 users in a few seconds', async () => {
    const { clock, emulator, token } = await startExporting();
    const started = performance.now();

    emulator.state.seedUsers(
      DATABASE,
      Array.from({ length: 100_000 }, (_, i) => ({ email: `user${i}@example.com` })),
    );
    const users = await runExport(emulator, clock, token, { fields: [{ name: 'email' }] });

    expect(users).toHaveLength(100_001);
    expect(users.at(-1)).toEqual({ email: 'user99999@example.com' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
