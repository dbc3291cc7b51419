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

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
