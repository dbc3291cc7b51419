/** The access inputs: max-revocations as a number or a share, protected-users one a line, credentials even in a dry run. */
import { describe, expect, it } from 'vitest';
import { InputError, readSettings } from '../../src/inputs.js';

const DRY_RUN = { 'users-file': 'users.json', 'dry-run': 'true', 'access-file': 'access.yml' };
const TENANT = {
  domain: 'acme.us.auth0.com',
  'client-id': 'abc',
  'client-secret': 's',
  'connection-name': 'db',
};

function settings(inputs: Record<string, string>) {
  return readSettings(
    (name) => inputs[name] ?? '',
    () => {},
  );
}

describe('access inputs', () => {
  it('reads max-revocations as a count (10 by default) or a share', () => {
    expect(settings({ ...DRY_RUN, ...TENANT }).access?.maxRevocations).toEqual({ count: 10 });
    expect(settings({ ...DRY_RUN, ...TENANT, 'max-revocations': '5%' }).access?.maxRevocations).toEqual({
      percent: 5,
    });
    expect(() => settings({ ...DRY_RUN, ...TENANT, 'max-revocations': 'ten' })).toThrow(/max-revocations/);
  });

  it('reads protected-users one a line, skipping blanks and comments', () => {
    expect(
      settings({ ...DRY_RUN, ...TENANT, 'protected-users': 'a@example.com\n\n# ops\n*@ops.example.com\n' })
        .protectedUsers,
    ).toEqual(['a@example.com', '*@ops.example.com']);
  });

  it('needs the tenant credentials even in a dry run, since access is planned against the tenant', () => {
    expect(() => settings(DRY_RUN)).toThrow(InputError);
    expect(settings({ ...DRY_RUN, ...TENANT }).import?.origin).toBe('https://acme.us.auth0.com');
  });

  it('refuses write-access-file without access-file', () => {
    expect(() => settings({ 'users-file': 'users.json', 'write-access-file': 'true' })).toThrow(
      /write-access-file: needs access-file/,
    );
  });
});
