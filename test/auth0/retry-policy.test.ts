import { describe, expect, it } from 'vitest';
import { DeadlineError, TlsError, UncertainError, UnreachableError } from '../../src/auth0/errors.js';
import { RequestRetries } from '../../src/auth0/retry-policy.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';

const CREATE = {
  origin: 'https://tenant.example',
  route: 'POST /api/v2/jobs/users-imports',
  repeatable: false,
};
const STATUS = { origin: 'https://tenant.example', route: 'GET /api/v2/jobs/{id}', repeatable: true };

const failure = (code: string, message = code) => Object.assign(new Error(message), { code });
const answer = (status: number, body: unknown = {}) => ({ status, body });

describe('RequestRetries after no answer', () => {
  it('sends again what never left, even a create that must not be sent twice', () => {
    expect(
      new RequestRetries(CREATE, DEFAULT_TIMING).afterError(failure('ECONNREFUSED'), false),
    ).toMatchObject({
      kind: 'retry',
      attempt: 1,
    });
  });

  it('never sends again a create whose answer was lost: it may have been carried out', () => {
    const step = new RequestRetries(CREATE, DEFAULT_TIMING).afterError(failure('ECONNRESET'), false);
    expect(step.kind === 'throw' && step.error).toBeInstanceOf(UncertainError);
  });

  it('gives a repeatable request maxAttempts tries, then says Auth0 is unreachable', () => {
    const retries = new RequestRetries(STATUS, DEFAULT_TIMING);
    const steps = Array.from({ length: DEFAULT_TIMING.maxAttempts }, () =>
      retries.afterError(failure('ECONNRESET'), false),
    );
    expect(steps.slice(0, -1).map((step) => step.kind)).toEqual(['retry', 'retry', 'retry', 'retry']);
    const last = steps.at(-1)!;
    expect(last.kind === 'throw' && last.error).toBeInstanceOf(UnreachableError);
  });

  it('ends at the deadline when the timeout it cut short runs out', () => {
    const step = new RequestRetries(STATUS, DEFAULT_TIMING).afterError(
      failure('UND_ERR_HEADERS_TIMEOUT'),
      true,
    );
    expect(step.kind === 'throw' && step.error).toBeInstanceOf(DeadlineError);
  });

  it('gives up at once on a TLS failure, naming plain HTTP for a loopback server', () => {
    const step = new RequestRetries(
      { ...STATUS, origin: 'https://127.0.0.1:3000' },
      DEFAULT_TIMING,
    ).afterError(failure('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), false);
    expect(step.kind === 'throw' && step.error).toBeInstanceOf(TlsError);
    expect(step.kind === 'throw' && step.error.message).toContain('set domain to http://127.0.0.1:3000');
  });
});

describe('RequestRetries after an answer', () => {
  it('waits out a rate-limit 429, even for a create, until maxRateLimitWaits', () => {
    const retries = new RequestRetries(CREATE, DEFAULT_TIMING);
    const steps = Array.from({ length: DEFAULT_TIMING.maxRateLimitWaits + 1 }, () =>
      retries.afterResponse(answer(429, { message: 'Too Many Requests' }), true),
    );
    expect(steps.at(-2)).toEqual({ kind: 'rate-limited', giveUp: false });
    expect(steps.at(-1)).toEqual({ kind: 'rate-limited', giveUp: true });
  });

  it("leaves Auth0's job-limit 429 to the caller", () => {
    const body = { message: 'There are 2 active import users jobs' };
    expect(new RequestRetries(CREATE, DEFAULT_TIMING).afterResponse(answer(429, body), true)).toEqual({
      kind: 'return',
    });
  });

  it('asks for a new token after a 401 only when a token was sent', () => {
    const retries = new RequestRetries(STATUS, DEFAULT_TIMING);
    expect(retries.afterResponse(answer(401), true)).toEqual({ kind: 'renew-token' });
    expect(retries.afterResponse(answer(401), false)).toEqual({ kind: 'return' });
  });

  it('never sends a create again after a 5xx: Auth0 may have created the job', () => {
    const step = new RequestRetries(CREATE, DEFAULT_TIMING).afterResponse(answer(503, 'busy'), true);
    expect(step.kind === 'throw' && step.error).toBeInstanceOf(UncertainError);
    expect(step.kind === 'throw' && step.error.message).toContain('Auth0 answered 503 (busy)');
  });

  it('retries a repeatable request after a 5xx, and returns the last 5xx after maxAttempts', () => {
    const retries = new RequestRetries(STATUS, DEFAULT_TIMING);
    const steps = Array.from({ length: DEFAULT_TIMING.maxAttempts }, () =>
      retries.afterResponse(answer(502), true),
    );
    expect(steps[0]).toEqual({ kind: 'retry', why: 'Auth0 answered 502', attempt: 1 });
    expect(steps.at(-1)).toEqual({ kind: 'return' });
  });

  it('returns every other answer as it is', () => {
    const retries = new RequestRetries(CREATE, DEFAULT_TIMING);
    expect(
      [200, 202, 400, 403, 404, 413].map((status) => retries.afterResponse(answer(status), true).kind),
    ).toEqual(Array(6).fill('return'));
  });
});
