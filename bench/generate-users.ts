/** Realistic, valid users files of any size, deterministic for a seed: mixed fields, metadata, hashes, MFA. */

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Katherine',
  'Margaret',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Johnson',
  'Hamilton',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Perlman',
];
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function generateUsers(count: number, seed = 1): unknown[] {
  return [...eachUser(count, seed)];
}

/** The users one by one, so that a file of any size can be written without holding them all. */
export function* eachUser(count: number, seed = 1): Generator<Record<string, unknown>> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chars = (alphabet: string, length: number) =>
    Array.from({ length }, () => pick([...alphabet])).join('');
  const hex = (bytes: number) => chars('0123456789abcdef', bytes * 2);
  const base64 = (bytes: number) =>
    Buffer.from(Array.from({ length: bytes }, () => Math.floor(next() * 256))).toString('base64');
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const user: Record<string, unknown> = {
      email: `${first}.${last}.${i}@example.com`.toLowerCase(),
      email_verified: next() < 0.7,
      given_name: first,
      family_name: last,
      name: `${first} ${last}`,
    };
    if (next() < 0.5) user.user_id = `u${i.toString(36)}-${seed}`;
    const kind = i % 5;
    if (kind === 0) user.password_hash = `$2b$10$${chars(BCRYPT_ALPHABET, 53)}`;
    else if (kind === 1) {
      user.custom_password_hash = {
        algorithm: 'sha256',
        hash: { value: hex(32), encoding: 'hex' },
        salt: { value: base64(16), encoding: 'base64', position: 'prefix' },
      };
    } else if (kind === 2) {
      user.custom_password_hash = {
        algorithm: 'pbkdf2',
        hash: {
          value: `$pbkdf2-sha512$i=100000,l=64$${base64(16).replace(/=+$/, '')}$${base64(64).replace(/=+$/, '')}`,
        },
      };
    } else if (kind === 3) {
      user.custom_password_hash = {
        algorithm: 'hmac',
        hash: {
          value: base64(32),
          encoding: 'base64',
          digest: 'sha256',
          key: { value: base64(16), encoding: 'base64' },
        },
      };
    }
    if (next() < 0.3) user.mfa_factors = [{ totp: { secret: chars(BASE32, 16) } }];
    user.app_metadata = {
      roles: next() < 0.2 ? ['admin', 'reader'] : ['reader'],
      plan: pick(['free', 'pro', 'enterprise']),
    };
    user.user_metadata = {
      theme: pick(['dark', 'light']),
      language: pick(['en', 'fr', 'de', 'ja']),
      signup: 1_600_000_000 + i,
    };
    yield user;
  }
}

/**
 * As a person would write the file, an indented JSON array (what `JSON.stringify(users, null, 2)`
 * gives), in pieces of about `pieceUsers` users.
 */
export function* usersFilePieces(count: number, seed = 1, pieceUsers = 1_000): Generator<string> {
  let piece = '[';
  let i = 0;
  for (const user of eachUser(count, seed)) {
    piece += `${i === 0 ? '' : ','}\n  ${JSON.stringify(user, null, 2).replaceAll('\n', '\n  ')}`;
    if (++i % pieceUsers === 0) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}${count === 0 ? '' : '\n'}]\n`;
}

export function usersFileText(count: number, seed = 1): string {
  return [...usersFilePieces(count, seed)].join('');
}
