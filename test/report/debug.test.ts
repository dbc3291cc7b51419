import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/inputs.js';
import { settingsDebugLine } from '../../src/report/debug.js';

const SECRETS = { 'client-secret': 's3cret-value', 'github-token': 'ghp_notARealToken0123456789' };

function settings(inputs: Record<string, string>) {
  return readSettings(
    (name) => inputs[name] ?? '',
    () => {},
  );
}

describe('settingsDebugLine', () => {
  it('names the credentials by their kind and never quotes them', () => {
    const line = settingsDebugLine(
      settings({
        'users-file': 'users.json',
        domain: 'acme.us.auth0.com',
        'client-id': 'abc',
        'connection-id': 'con_ABCDEFGHIJ123456',
        ...SECRETS,
      }),
    );
    expect(line).toContain('"domain":"acme.us.auth0.com"');
    expect(line).toContain('"credentials":"client credentials"');
    expect(line).toContain('"githubToken":"given"');
    for (const secret of Object.values(SECRETS)) expect(line).not.toContain(secret);
  });

  it('names a given Management API token as such, never its value', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const line = settingsDebugLine(
      settings({
        'users-file': 'users.json',
        domain: 'acme.us.auth0.com',
        'management-api-token': token,
        'connection-id': 'con_ABCDEFGHIJ123456',
      }),
    );
    expect(line).toContain('"credentials":"management-api-token"');
    expect(line).not.toContain(token);
  });
});
