import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { makeWorkspace, runAction, shownText, type ActionOptions } from '../support/action.js';
import { expectNoSecrets, maskedValues, sensitiveUserValues } from '../support/secrets.js';

const USERS = [
  {
    email: 'ada@example.com',
    name: 'Ada',
    password_hash: '$2b$10$C9P9mZ0wZ0bq5l5mYbZJmu8s3l0c3pQ7Sx6m7b9M2Zr8b1o2w3Xy.',
  },
  {
    email: 'alan@example.com',
    custom_password_hash: {
      algorithm: 'sha256',
      hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', encoding: 'hex' },
      salt: { value: 'c2FsdC1mb3ItYWxhbg==', encoding: 'base64' },
    },
    mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
  },
  { email: 'grace@example.com', user_id: 'grace-1906', app_metadata: { token: 'secret-app-metadata-value' } },
];
const USERS_TEXT = `${JSON.stringify(USERS, null, 2)}\n`;

/** `n` small users, one per line, so line numbers are easy to check. */
function manyUsers(n: number): string {
  const lines = Array.from(
    { length: n },
    (_, i) =>
      `  {"email":"user${i}@example.com","name":"User ${i}","user_metadata":{"pad":"${'x'.repeat(200)}"}}`,
  );
  return `[\n${lines.join(',\n')}\n]\n`;
}

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  await emulator?.close();
  emulator = await startEmulator(options);
}

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  await emulator.close();
});

function database() {
  return emulator.connections.find((connection) => connection.strategy === 'auth0')!;
}

/** Runs an import; every run, whatever else its test checks, leaks no credential and no user secret. */
async function importFile(
  text: string,
  inputs: Record<string, string> = {},
  extra: Partial<ActionOptions> = {},
) {
  const workspace = await makeWorkspace({ 'users.json': text });
  const allInputs: Record<string, string> = {
    'users-file': 'users.json',
    domain: emulator.url,
    'client-id': emulator.clientId,
    'client-secret': emulator.clientSecret,
    'connection-id': database().id,
    ...inputs,
  };
  const run = await runAction({ workspace, inputs: allInputs, ...extra });
  const given = [allInputs['client-secret'] ?? '', allInputs['management-api-token'] ?? ''].filter(Boolean);
  await expectNoSecrets(run, {
    credentials: [...given, ...maskedValues(run)],
    userValues: sensitiveUserValues(text),
  });
  return run;
}

function createRequests() {
  return emulator.state.requests.filter((request) => request.route === 'create-job');
}

describe('import', () => {
  it('imports a small file and reports every count', async () => {
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: '3', chunks: '1', inserted: '3', updated: '0', failed: '0' });
    const jobIds = JSON.parse(run.outputs['job-ids']!) as string[];
    expect(jobIds).toEqual([emulator.state.jobs[0]?.id]);
    expect(run.summary).toContain('✅ Imported 3 users in 1 job: 3 inserted, 0 updated, 0 failed.');
    expect(run.summary).toContain(`| \`${jobIds[0]}\` | 1: users.json:2-`);
    expect(emulator.state.users(database().id).map((user) => user.email)).toEqual([
      'ada@example.com',
      'alan@example.com',
      'grace@example.com',
    ]);
    expect(createRequests()[0]?.fields).toMatchObject({
      upsert: 'false',
      send_completion_email: 'false',
      external_id: 'acme/identity@0123456#1',
    });
    expect(JSON.parse(await readFile(run.outputs['failed-users-file']!, 'utf8'))).toEqual([]);
  });

  it('sends each user as its exact compact JSON text', async () => {
    const text =
      '[\n  { "email": "big@example.com", "app_metadata": { "n": 12345678901234567890, "s": "caf\\u00e9" } }\n]\n';
    const run = await importFile(text);
    expect(run.code).toBe(0);
    expect(emulator.state.jobs[0]?.usersBytes.toString()).toBe(
      '[{"email":"big@example.com","app_metadata":{"n":12345678901234567890,"s":"caf\\u00e9"}}]',
    );
  });

  it('splits a large file into chunks, keeps two jobs in flight and sends every user once', async () => {
    const text = manyUsers(60);
    const run = await importFile(text, { 'max-chunk-bytes': '3000' });
    expect(run.code).toBe(0);
    const chunks = Number(run.outputs.chunks);
    expect(chunks).toBeGreaterThanOrEqual(5);
    expect(emulator.state.counters.maxActiveJobs).toBe(2);
    expect(emulator.state.counters.jobsCreated).toBe(chunks);
    expect(emulator.state.jobs.every((job) => job.usersBytes.length <= 3000)).toBe(true);
    const emails = emulator.state.users(database().id).map((user) => user.email);
    expect(emails).toHaveLength(60);
    expect(new Set(emails).size).toBe(60);
    expect(run.outputs.inserted).toBe('60');
  });

  it('fails existing users without upsert and traces each to its line', async () => {
    emulator.state.seedUsers(database().id, [{ email: 'alan@example.com' }]);
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ inserted: '2', failed: '1' });
    const line = USERS_TEXT.split('\n').findIndex((text) => text.includes('alan@example.com')) + 1;
    expect(run.stdout).toContain(
      `::error file=users.json,line=${line - 1}::Auth0 rejected alan@example.com: DUPLICATED_USER`,
    );
    expect(run.summary).toContain('set upsert: true to update it, or remove it from the file');
    const failed = JSON.parse(await readFile(run.outputs['failed-users-file']!, 'utf8')) as Record<
      string,
      unknown
    >[];
    expect(failed).toEqual([
      {
        chunk: '1',
        jobId: expect.stringMatching(/^job_/),
        file: 'users.json',
        line: line - 1,
        email: 'alan@example.com',
        codes: ['DUPLICATED_USER'],
        messages: ['The user already exist and upsert parameter is false'],
      },
    ]);
  });

  it('updates existing users with upsert', async () => {
    emulator.state.seedUsers(database().id, [{ email: 'alan@example.com' }]);
    const run = await importFile(USERS_TEXT, { upsert: 'true' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ inserted: '2', updated: '1', failed: '0' });
  });

  it('passes with failed users when fail-on-user-errors is false', async () => {
    emulator.state.seedUsers(database().id, [{ email: 'ada@example.com' }]);
    const run = await importFile(USERS_TEXT, { 'fail-on-user-errors': 'false' });
    expect(run.code).toBe(0);
    expect(run.outputs.failed).toBe('1');
  });

  it('keeps to one active job with max-concurrent-jobs: 1, leaving a slot to others', async () => {
    const run = await importFile(manyUsers(20), { 'max-chunk-bytes': '2000', 'max-concurrent-jobs': '1' });
    expect(run.code).toBe(0);
    expect(emulator.state.counters.jobsCreated).toBeGreaterThanOrEqual(3);
    expect(emulator.state.counters.maxActiveJobs).toBe(1);
  });

  it('waits for a slot when another importer holds the job limit', async () => {
    emulator.faults.rejectCreatesWithJobLimit(2);
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(0);
    expect(createRequests().map((request) => request.status)).toEqual([429, 429, 202]);
    expect(run.stdout).toContain('Auth0 already runs 2 import jobs in this tenant');
  });

  it('slows down to the rate limit instead of failing', async () => {
    await start({ rateLimit: { rate: 2, burst: 2 } });
    const run = await importFile(manyUsers(20), { 'max-chunk-bytes': '2000' });
    expect(run.code).toBe(0);
    expect(run.outputs.inserted).toBe('20');
    const limited = emulator.state.requests.filter((request) => request.status === 429).length;
    expect(limited).toBeLessThanOrEqual(2);
  });

  it('waits as Retry-After says after a rate-limit 429', async () => {
    await start({ rateLimit: { rate: 1, burst: 1, retryAfter: true } });
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(0);
    expect(emulator.state.counters.jobsCreated).toBe(1);
  });

  it('reports a 503 on create as unknown without upsert: a gateway may have forwarded it', async () => {
    emulator.faults.failCreate(1, 'unavailable');
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(1);
    expect(createRequests().map((request) => request.status)).toEqual([503]);
    expect(run.summary).toContain(
      '1 chunk with 3 users may or may not have been imported (sent, answer lost).',
    );
  });

  it('sends a create again after a 503 with upsert, where a second job is harmless', async () => {
    emulator.faults.failCreate(1, 'unavailable');
    const run = await importFile(USERS_TEXT, { upsert: 'true' });
    expect(run.code).toBe(0);
    expect(createRequests().map((request) => request.status)).toEqual([503, 202]);
    expect(emulator.state.counters.jobsCreated).toBe(1);
  });

  it.each(['error-after-create', 'reset-after-create'] as const)(
    'never resubmits a chunk whose create may have succeeded (%s) without upsert',
    async (fault) => {
      emulator.faults.failCreate(1, fault);
      const run = await importFile(USERS_TEXT);
      expect(run.code).toBe(1);
      expect(createRequests()).toHaveLength(1);
      expect(emulator.state.counters.jobsCreated).toBe(1);
      expect(run.summary).toContain('may or may not have been imported');
      expect(shownText(run.summary)).toContain(
        "check the tenant's logs for external_id acme/identity@0123456#1",
      );
    },
  );

  it('resubmits such a chunk when upsert makes it harmless', async () => {
    emulator.faults.failCreate(1, 'error-after-create');
    const run = await importFile(USERS_TEXT, { upsert: 'true' });
    expect(createRequests()).toHaveLength(2);
    expect(run.code).toBe(0);
    expect(run.outputs.failed).toBe('0');
  });

  it('reports a failed job with its details and fails the step', async () => {
    emulator.faults.failJob('next', 'The users file could not be processed');
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(1);
    expect(run.summary).toContain('| failed |');
    expect(run.summary).toContain('The users file could not be processed');
    expect(run.summary).toMatch(/1 job failed: job_\w+\./);
  });

  it('stops waiting at wait-timeout-seconds and names the unfinished jobs', async () => {
    emulator.faults.keepProcessing('all');
    const run = await importFile(USERS_TEXT, { 'wait-timeout-seconds': '2' });
    expect(run.code).toBe(1);
    const [id] = JSON.parse(run.outputs['job-ids']!) as string[];
    expect(run.stdout).toContain('wait-timeout-seconds (2) ran out (while waiting for the jobs).');
    expect(run.stdout).toContain(`1 job still running in Auth0 with 3 users: ${id}.`);
  });

  it('submits without waiting when wait is false', async () => {
    emulator.faults.keepProcessing('all');
    const run = await importFile(USERS_TEXT, { wait: 'false' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs['job-ids']!)).toHaveLength(1);
    expect(emulator.state.requests.filter((request) => request.route === 'job-status')).toHaveLength(0);
    expect(run.summary).toContain('without waiting');
  });

  it.each(['access_denied', 'invalid_client'] as const)(
    'says what to fix when the client secret is wrong (401 %s), and sends no users',
    async (error) => {
      await start({ badCredentialsError: error });
      const run = await importFile(USERS_TEXT, { 'client-secret': 'wrong-secret' });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`Auth0 answered 401 ${error}`);
      expect(run.stdout).toContain('Auth0 refused client-id / client-secret');
      expect(run.stdout).toContain('Applications > (your application) > Settings');
      expect(run.stdout).not.toContain('authorise it');
      expect(createRequests()).toHaveLength(0);
    },
  );

  it('refuses a token without create:users before submitting', async () => {
    await start({ clients: [{ scopes: ['read:connections'] }] });
    const run = await importFile(USERS_TEXT);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The Management API token lacks create:users (for importing users)');
    expect(createRequests()).toHaveLength(0);
  });

  it('looks the connection up by name', async () => {
    const run = await importFile(USERS_TEXT, {
      'connection-id': '',
      'connection-name': 'Username-Password-Authentication',
    });
    expect(run.code).toBe(0);
    expect(createRequests()[0]?.fields?.connection_id).toBe(database().id);
  });

  it('lists the database connections when the name is unknown', async () => {
    const run = await importFile(USERS_TEXT, { 'connection-id': '', 'connection-name': 'Users' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'connection-name: no connection named "Users" in this tenant; database connections: Username-Password-Authentication',
    );
  });

  it('refuses a connection that is not a database', async () => {
    const run = await importFile(USERS_TEXT, { 'connection-id': '', 'connection-name': 'google-oauth2' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('is a google-oauth2 connection');
  });

  it('takes a Management API token instead of client credentials', async () => {
    const token = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: `${emulator.url}/api/v2/`,
      }),
    }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
    const run = await importFile(USERS_TEXT, {
      'client-id': '',
      'client-secret': '',
      'management-api-token': token,
    });
    expect(run.code).toBe(0);
  });

  it('on cancellation reports the submitted jobs and exits non-zero promptly', async () => {
    emulator.faults.keepProcessing('all');
    const started = Date.now();
    const run = await importFile(
      USERS_TEXT,
      {},
      { onOutput: { text: 'submitted 3 users as job', then: (child) => child.kill('SIGTERM') } },
    );
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [id] = JSON.parse(run.outputs['job-ids']!) as string[];
    expect(run.stdout).toContain(`chunk 1: ${id} — pending`);
    expect(run.summary).toContain('The run was cancelled');
  });
});
