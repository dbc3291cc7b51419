import { describe, expect, it } from 'vitest';
import { getToken, runImport, useEmulators } from './contract-client.js';
import { manualClock, type EmulatorOptions } from './index.js';

const start = useEmulators();
const DATABASE = 'Username-Password-Authentication';
const DUPLICATED_USER = {
  code: 'DUPLICATED_USER',
  message: 'The user already exist and upsert parameter is false',
};
/** Valid for Auth0: bcrypt `$2b$` with cost 10 and 53 characters of salt and hash. */
const BCRYPT_10 = `$2b$10$${'a'.repeat(53)}`;
const OTHER_BCRYPT_10 = `$2b$10$${'b'.repeat(53)}`;

async function startManual(options: EmulatorOptions = {}) {
  const clock = manualClock();
  const emulator = await start({ clock, ...options });
  return { clock, emulator, token: await getToken(emulator) };
}

describe('importing users', () => {
  it('inserts a new user under auth0| and the given user_id, unverified by default', async () => {
    const { clock, emulator, token } = await startManual();

    const { job } = await runImport(emulator, clock, token, [{ email: 'a@example.com', user_id: '42' }]);

    expect(job).toMatchObject({ summary: { total: 1, inserted: 1, updated: 0, failed: 0 } });
    expect(emulator.state.users(DATABASE)).toEqual([
      expect.objectContaining({ user_id: 'auth0|42', email: 'a@example.com', email_verified: false }),
    ]);
  });

  it('stores a user as Auth0 shows one: an auth0 identity, and name, nickname and picture filled in', async () => {
    const { clock, emulator, token } = await startManual();

    await runImport(emulator, clock, token, [{ email: 'ada@example.com', user_id: '42' }]);

    expect(emulator.state.users(DATABASE)).toEqual([
      {
        user_id: 'auth0|42',
        email: 'ada@example.com',
        email_verified: false,
        name: 'ada@example.com',
        nickname: 'ada',
        picture: expect.stringMatching(/^https:\/\/s\.gravatar\.com\/avatar\/[0-9a-f]{32}\?/),
        identities: [{ connection: DATABASE, user_id: '42', provider: 'auth0', isSocial: false }],
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('fails a user whose email exists already when upsert is off', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.state.seedUsers(DATABASE, [{ email: 'a@example.com' }]);

    const { job, errors } = await runImport(emulator, clock, token, [{ email: 'A@example.com' }]);

    expect(job).toMatchObject({
      status: 'completed',
      summary: { total: 1, inserted: 0, updated: 0, failed: 1 },
    });
    expect(errors.body).toEqual([{ user: { email: 'A@example.com' }, errors: [DUPLICATED_USER] }]);
  });

  it('fails a user whose user_id exists already when upsert is off', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.state.seedUsers(DATABASE, [{ email: 'a@example.com', user_id: '42' }]);

    const { errors } = await runImport(emulator, clock, token, [{ email: 'b@example.com', user_id: '42' }]);

    expect(errors.body).toEqual([expect.objectContaining({ errors: [DUPLICATED_USER] })]);
  });

  it('updates the user with the same email when upsert is on, replacing metadata whole', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.state.seedUsers(DATABASE, [
      {
        email: 'a@example.com',
        email_verified: true,
        user_metadata: { theme: 'dark', lang: 'en' },
        name: 'Old',
      },
    ]);

    const { job } = await runImport(
      emulator,
      clock,
      token,
      [{ email: 'a@example.com', user_metadata: { lang: 'fr' }, name: 'New' }],
      {
        upsert: 'true',
      },
    );

    expect(job).toMatchObject({ summary: { total: 1, inserted: 0, updated: 1, failed: 0 } });
    expect(emulator.state.users(DATABASE)).toEqual([
      expect.objectContaining({ user_metadata: { lang: 'fr' }, name: 'New', email_verified: false }),
    ]);
  });

  it('never changes blocked, username, password_hash or the user_id on upsert', async () => {
    const { clock, emulator, token } = await startManual();
    const original = {
      email: 'a@example.com',
      user_id: '1',
      username: 'ann',
      blocked: true,
      password_hash: BCRYPT_10,
    };
    emulator.state.seedUsers(DATABASE, [original]);

    await runImport(
      emulator,
      clock,
      token,
      [{ email: 'a@example.com', username: 'bob', blocked: false, password_hash: OTHER_BCRYPT_10 }],
      { upsert: 'true' },
    );

    expect(emulator.state.users(DATABASE)).toEqual([
      expect.objectContaining({
        user_id: 'auth0|1',
        username: 'ann',
        blocked: true,
        password_hash: BCRYPT_10,
      }),
    ]);
  });

  it('fails the repeat of an email inside one file with DUPLICATED_USER and imports the first', async () => {
    const { clock, emulator, token } = await startManual();

    const { job, errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com' },
      { email: 'A@example.com', name: 'Again' },
    ]);

    expect(job).toMatchObject({ summary: { total: 2, inserted: 1, updated: 0, failed: 1 } });
    expect(errors.body).toEqual([
      {
        user: { email: 'A@example.com', name: 'Again' },
        errors: [{ code: 'DUPLICATED_USER', message: 'A user with this email was already provided.' }],
      },
    ]);
  });

  it.each([
    ['user_id', { user_id: '1' }],
    ['username', { username: 'ann' }],
  ])('fails the repeat of a %s inside one file with DUPLICATED_USER', async (key, repeated) => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', ...repeated },
      { email: 'b@example.com', ...repeated },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [{ code: 'DUPLICATED_USER', message: `A user with this ${key} was already provided.` }],
      }),
    ]);
  });

  it('fails a user without an email with OBJECT_MISSING_REQUIRED_PROPERTY', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [{ name: 'Ann' }]);

    expect(errors.body).toEqual([
      {
        user: { name: 'Ann' },
        errors: [{ code: 'OBJECT_MISSING_REQUIRED_PROPERTY', message: 'Missing required property: email' }],
      },
    ]);
  });

  it('fails a malformed email with INVALID_FORMAT at the internal path identities[0].profileData.email', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [{ email: 'ann' }]);

    expect(errors.body).toEqual([
      {
        user: { email: 'ann' },
        errors: [
          {
            code: 'INVALID_FORMAT',
            message:
              "Error in identities[0].profileData.email property - Object didn't pass validation for format email: ann",
            path: 'identities[0].profileData.email',
          },
        ],
      },
    ]);
  });

  it.each([
    '.casey@example.com',
    'casey.@example.com',
    'casey..jones@example.com',
    'casey@-example.com',
    'casey@example-.com',
    'casey@example.c',
    'casey@example.123',
    'casey@example',
    'casey@exa_mple.com',
    'casey@example.com.',
    `${'c'.repeat(65)}@example.com`,
  ])('refuses %s as validator.js isEmail with require_tld would', async (email) => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [{ email }]);

    expect(errors.body).toEqual([
      expect.objectContaining({ errors: [expect.objectContaining({ code: 'INVALID_FORMAT' })] }),
    ]);
  });

  it.each([
    "o'brien+tag@example.co.uk",
    '"casey jones"@example.com',
    'josé@example.com',
    'casey@xn--bcher-kva.example',
    'casey@müller.de',
  ])('accepts %s as validator.js isEmail with require_tld would', async (email) => {
    const { clock, emulator, token } = await startManual();

    const { job } = await runImport(emulator, clock, token, [{ email }]);

    expect(job).toMatchObject({ summary: { inserted: 1, failed: 0 } });
  });

  it.each([
    ['cost 12', `$2b$12$${'a'.repeat(53)}`],
    ['$2y$', `$2y$10$${'a'.repeat(53)}`],
    ['a short hash', '$2b$10$abc'],
  ])('fails a password_hash with %s: Error in passwordHash property', async (_, password_hash) => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [{ email: 'a@example.com', password_hash }]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [
          {
            code: 'PATTERN',
            message:
              'Error in passwordHash property - String does not match pattern ^\\$2[ab]?\\$10+\\$[./A-Za-z0-9]{53}$',
            path: 'passwordHash',
          },
        ],
      }),
    ]);
  });

  it('fails a user with both password_hash and custom_password_hash with NOT_PASSED', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [
      {
        email: 'a@example.com',
        password_hash: BCRYPT_10,
        custom_password_hash: { algorithm: 'md5', hash: { value: 'x' } },
      },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [{ code: 'NOT_PASSED', message: 'Forbidden attribute in appUser: ' }],
      }),
    ]);
  });

  it('fails a property of the wrong type with INVALID_TYPE at its path', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', email_verified: 'yes' },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [
          {
            code: 'INVALID_TYPE',
            message: 'Expected type boolean but found type string',
            path: 'email_verified',
          },
        ],
      }),
    ]);
  });

  it('fails a property outside the schema with OBJECT_ADDITIONAL_PROPERTIES', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', phone: '+15550100', last_login: 'yesterday' },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [
          {
            code: 'OBJECT_ADDITIONAL_PROPERTIES',
            message: 'Additional properties not allowed: phone,last_login',
          },
        ],
      }),
    ]);
  });

  it('imports phone_number and phone_verified, as the newer docs allow', async () => {
    const { clock, emulator, token } = await startManual();

    const { job } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', phone_number: '+14155550123', phone_verified: true },
    ]);

    expect(job).toMatchObject({ summary: { inserted: 1, failed: 0 } });
    expect(emulator.state.users(DATABASE)).toEqual([
      expect.objectContaining({ phone_number: '+14155550123', phone_verified: true }),
    ]);
  });

  it('fails a phone_number that is not E.164 with PATTERN, and a phone_verified that is not a boolean', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', phone_number: '+1 415 555 0123', phone_verified: 'yes' },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [
          {
            code: 'INVALID_TYPE',
            message: 'Expected type boolean but found type string',
            path: 'phone_verified',
          },
          {
            code: 'PATTERN',
            message: 'String does not match pattern ^\\+[0-9]{1,15}$: +1 415 555 0123',
            path: 'phone_number',
          },
        ],
      }),
    ]);
  });

  it('fails a user whose phone_number exists already when upsert is off', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.state.seedUsers(DATABASE, [{ email: 'a@example.com', phone_number: '+14155550123' }]);

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'b@example.com', phone_number: '+14155550123' },
    ]);

    expect(errors.body).toEqual([expect.objectContaining({ errors: [DUPLICATED_USER] })]);
  });

  it('echoes a failed user as submitted, hiding only custom_password_hash.hash.value', async () => {
    const { clock, emulator, token } = await startManual();
    const secrets = {
      custom_password_hash: {
        algorithm: 'hmac',
        hash: { value: 'c2VjcmV0', encoding: 'base64', digest: 'sha256', key: { value: 'hmac-key' } },
        salt: { value: 'pepper' },
      },
      mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
      app_metadata: { plan: 'gold' },
    };

    const { errors } = await runImport(emulator, clock, token, [{ email: 'bad', ...secrets }]);

    const echoed = structuredClone(secrets);
    echoed.custom_password_hash.hash.value = '*****';
    expect(errors.body).toEqual([
      { user: { email: 'bad', ...echoed }, errors: [expect.objectContaining({ code: 'INVALID_FORMAT' })] },
    ]);
  });

  it('echoes a bcrypt password_hash in clear', async () => {
    const { clock, emulator, token } = await startManual();
    const user = { email: 'bad', password_hash: BCRYPT_10 };

    const { errors } = await runImport(emulator, clock, token, [user]);

    expect(errors.body).toEqual([expect.objectContaining({ user })]);
  });
});

describe("errorShapes: 'documented'", () => {
  it('fails a malformed email with FORMAT at email', async () => {
    const { clock, emulator, token } = await startManual({ errorShapes: 'documented' });

    const { errors } = await runImport(emulator, clock, token, [{ email: 'ann' }]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [
          { code: 'FORMAT', message: "Object didn't pass validation for format email: ann", path: 'email' },
        ],
      }),
    ]);
  });

  it('fails a user without an email with OBJECT_REQUIRED', async () => {
    const { clock, emulator, token } = await startManual({ errorShapes: 'documented' });

    const { errors } = await runImport(emulator, clock, token, [{ name: 'Ann' }]);

    expect(errors.body).toEqual([
      expect.objectContaining({
        errors: [{ code: 'OBJECT_REQUIRED', message: 'Missing required property: email' }],
      }),
    ]);
  });

  it.each([
    ['email', 'CONFLICT_EMAIL', {}],
    ['user_id', 'CONFLICT', { user_id: '1' }],
    ['username', 'CONFLICT_USERNAME', { username: 'ann' }],
  ])('fails the repeat of a %s inside one file with %s', async (_, code, repeated) => {
    const { clock, emulator, token } = await startManual({ errorShapes: 'documented' });

    const { errors } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', ...repeated },
      { email: Object.keys(repeated).length ? 'b@example.com' : 'a@example.com', ...repeated },
    ]);

    expect(errors.body).toEqual([expect.objectContaining({ errors: [expect.objectContaining({ code })] })]);
  });
});
