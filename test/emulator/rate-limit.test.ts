import { describe, expect, it } from 'vitest';
import { getToken, send, useEmulators } from './contract-client.js';
import { manualClock, type RateLimitOptions } from './index.js';

const start = useEmulators();
const START = Date.UTC(2025, 0, 1);
const CONNECTIONS = '/api/v2/connections';

async function startLimited(rateLimit: RateLimitOptions) {
  const clock = manualClock(START);
  const emulator = await start({ clock, rateLimit });
  return { clock, emulator, token: await getToken(emulator) };
}

describe('rate limiting', () => {
  it('sends no rate-limit headers when it is off', async () => {
    const emulator = await start();

    const answer = await send(emulator, CONNECTIONS, { token: await getToken(emulator) });

    expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('counts x-ratelimit-remaining down from the burst, with the limit and the reset in unix seconds', async () => {
    const { emulator, token } = await startLimited({ rate: 1, burst: 3 });

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send(emulator, CONNECTIONS, { token }));

    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(answers[2]?.headers.get('x-ratelimit-limit')).toBe('3');
    expect(answers[2]?.headers.get('x-ratelimit-reset')).toBe(String(START / 1000 + 3));
  });

  it('answers 429 "Global limit has been reached" once the bucket is empty, with no rate-limit headers', async () => {
    const { emulator, token } = await startLimited({ rate: 1, burst: 1 });
    await send(emulator, CONNECTIONS, { token });

    const answer = await send(emulator, CONNECTIONS, { token });

    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Global limit has been reached',
      errorCode: 'too_many_requests',
    });
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(answer.headers.get('x-ratelimit-reset')).toBeNull();
  });

  it('sends no rate-limit headers on a 4xx answer', async () => {
    const { emulator, token } = await startLimited({ rate: 1, burst: 3 });

    const answer = await send(emulator, '/api/v2/jobs/job_AAAAAAAAAAAAAAAA', { token });

    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    expect(answer.headers.get('x-ratelimit-remaining')).toBeNull();
  });

  it('refills the bucket at the configured rate', async () => {
    const { clock, emulator, token } = await startLimited({ rate: 2, burst: 1 });
    await send(emulator, CONNECTIONS, { token });

    clock.advance(500);
    const answer = await send(emulator, CONNECTIONS, { token });

    expect(answer.status).toBe(200);
  });

  it('adds Retry-After to the 429 when asked to', async () => {
    const { emulator, token } = await startLimited({ rate: 0.5, burst: 1, retryAfter: true });
    await send(emulator, CONNECTIONS, { token });

    const answer = await send(emulator, CONNECTIONS, { token });

    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.headers.get('x-ratelimit-remaining')).toBeNull();
  });

  it('counts requests refused for their token against the bucket', async () => {
    const { emulator, token } = await startLimited({ rate: 1, burst: 1 });
    await send(emulator, CONNECTIONS, { token: 'forged' });

    const answer = await send(emulator, CONNECTIONS, { token });

    expect(answer.status).toBe(429);
  });

  it('does not count token requests', async () => {
    const { emulator } = await startLimited({ rate: 1, burst: 1 });
    await getToken(emulator);

    const answer = await send(emulator, CONNECTIONS, { token: await getToken(emulator) });

    expect(answer.status).toBe(200);
  });
});
