import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/auth0/http.js';
import { scheduleJobs } from '../../src/auth0/schedule.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { ManagementTokens } from '../../src/auth0/token.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { chunksOf, databaseId } from '../support/client.js';
import { virtualClock } from '../support/virtual-clock.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const USERS = JSON.stringify(
  Array.from({ length: 6 }, (_, i) => ({
    email: `person${i}@example.com`,
    custom_password_hash: {
      algorithm: 'bcrypt',
      hash: { value: `$2b$10$${'s3cretHashValue'.repeat(3)}x${i}` },
    },
  })),
);

/** A run's debug lines, from the client and the scheduler, against the emulator on virtual time. */
async function debugLines(options: EmulatorOptions, maxChunkBytes = 1150) {
  const clock = virtualClock();
  emulator = await startEmulator({ clock, ...options });
  const lines: string[] = [];
  const secrets: string[] = [emulator.clientSecret];
  const debug = (line: string) => lines.push(line);
  const api = new ApiClient({ origin: emulator.url, clock, timing: DEFAULT_TIMING, log: () => {}, debug });
  const credentials = {
    kind: 'client' as const,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    audience: `${emulator.url}/api/v2/`,
  };
  api.useTokens(new ManagementTokens(api, credentials, (secret) => secrets.push(secret)));
  try {
    const chunks = chunksOf(USERS, maxChunkBytes, 'debug');
    const result = await scheduleJobs(api, chunks, {
      fields: { connectionId: databaseId(emulator), upsert: false, sendCompletionEmail: false },
      maxConcurrentJobs: 2,
      wait: true,
      clock,
      timing: DEFAULT_TIMING,
      log: () => {},
      debug,
      warn: () => {},
    });
    await api.send({
      method: 'GET',
      path: '/api/v2/users-by-email?email=person0%40example.com',
      repeatable: true,
    });
    return { lines, secrets, result, requests: emulator.state.requests };
  } finally {
    await api.close();
  }
}

describe('debug lines', () => {
  it("name each request's method, path, status and time, and nothing else of it", async () => {
    const { lines, secrets, result, requests } = await debugLines({
      jobTiming: { pendingMs: 0, processingMs: 3_000 },
    });
    expect(result.results.length).toBeGreaterThan(2);
    const answered = lines.filter((line) => /^(GET|POST|PATCH|DELETE) \//.test(line));
    expect(answered).toHaveLength(requests.length);
    for (const line of answered) expect(line).toMatch(/^(GET|POST) \/[\w/-]*: \d{3} after \d+ ms$/);
    expect(answered).toContain('POST /oauth/token: 200 after 0 ms');
    // The address in its query stays out.
    expect(answered.at(-1)).toMatch(/^GET \/api\/v2\/users-by-email: \d{3} after 0 ms$/);
    const text = lines.join('\n');
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nothing of a body: no address, no hash.
    expect(text).not.toMatch(/@example\.com|s3cretHash|\$2b\$/);
  });

  it('say why the scheduler waits, when it looks next, and when a slot frees', async () => {
    const { lines, result } = await debugLines({ jobTiming: { pendingMs: 0, processingMs: 3_000 } });
    const first = result.results[0]!.jobId!;
    expect(lines).toContain(`Job ${first} holds a slot (1 of 2 busy)`);
    expect(lines).toContain(`Waiting 1000 ms for a look at job ${first}`);
    expect(lines.some((line) => line.startsWith(`Job ${first}: next look in `))).toBe(true);
    expect(lines.some((line) => /^Job job_\w+: completed; slot freed \(\d of 2 busy\)$/.test(line))).toBe(
      true,
    );
    expect(lines).toContain("Chunk 3: a job's estimate says it has ended; its slot goes to this chunk");
  });

  it('say when the rate limit paces the run', async () => {
    const { lines } = await debugLines(
      {
        jobTiming: { pendingMs: 500, processingMs: 4_500 },
        rateLimit: { rate: 2, burst: 2 },
      },
      1000,
    );
    expect(lines.some((line) => /^rate-limit bucket empty: the next request waits \d+ ms$/.test(line))).toBe(
      true,
    );
    expect(
      lines.some((line) =>
        /^Sleeping \d+ ms \(waiting for the rate limit before (GET|POST) \S+\)$/.test(line),
      ),
    ).toBe(true);
    expect(
      lines.some((line) => line.endsWith('(no early look: the rate limit leaves no spare request)')),
    ).toBe(true);
    expect(
      lines.some((line) => /ended by its estimate; read in 500 ms, the rate limit's \d spare/.test(line)),
    ).toBe(true);
  });
});
