import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, as in Auth0's `con_…` and `job_…` ids. */
export function randomAlphanumerics(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
  return out;
}

/** An opaque bearer token: the emulator remembers it, so clients must not try to read it. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Random bytes drawn ahead in one call: one call per id made seeding 100,000 users take seconds. */
let pool = Buffer.alloc(0);
let used = 0;

export function randomHex(length: number): string {
  const bytes = Math.ceil(length / 2);
  if (used + bytes > pool.length) {
    pool = randomBytes(Math.max(64 * 1024, bytes));
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used).slice(0, length);
}
