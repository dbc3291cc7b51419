import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/inputs.js';

const IMPORT = {
  'users-file': 'users.json',
  domain: 'acme.us.auth0.com',
  'client-id': 'abc',
  'client-secret': 's3cret-value',
  'connection-id': 'con_ABCDEFGHIJ123456',
};

function settings(inputs: Record<string, string>, masked: string[] = []) {
  return readSettings(
    (name) => inputs[name] ?? '',
    (value) => masked.push(value),
  );
}

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    expect(settings(IMPORT)).toEqual({
      usersFiles: ['users.json'],
      dryRun: false,
      maxChunkBytes: 512_000,
      upsert: false,
      onlyChanged: false,
      onUnappliedChange: 'error',
      commentOnPr: 'auto',
      reconcile: false,
      onRemoved: 'report',
      maxRemovals: { count: 10 },
      baseline: 'applied',
      deploymentEnvironment: 'auth0/acme.us.auth0.com/con_ABCDEFGHIJ123456',
      target: { host: 'acme.us.auth0.com', connection: 'con_ABCDEFGHIJ123456' },
      protectedUsers: [],
      onPlanChanged: 'fail',
      requireReviewedPlan: false,
      notes: { warnings: [] },
      import: {
        origin: 'https://acme.us.auth0.com',
        domain: 'acme.us.auth0.com',
        credentials: {
          kind: 'client',
          clientId: 'abc',
          clientSecret: 's3cret-value',
          audience: 'https://acme.us.auth0.com/api/v2/',
        },
        connection: { id: 'con_ABCDEFGHIJ123456' },
        upsert: false,
        sendCompletionEmail: false,
        wait: true,
        waitTimeoutSeconds: 3600,
        maxConcurrentJobs: 2,
        failOnUserErrors: true,
      },
    });
  });

  it('masks the client secret and the tokens before checking anything', () => {
    const masked: string[] = [];
    expect(() =>
      settings(
        {
          'client-secret': 'top-secret',
          'management-api-token': 'tok-en',
          'github-token': 'ghs_x',
          'users-file': '',
        },
        masked,
      ),
    ).toThrow();
    expect(masked).toEqual(['top-secret', 'tok-en', 'ghs_x']);
  });

  it('reads only-changed with its token and commit', () => {
    expect(
      settings({
        'users-file': 'u.json',
        'dry-run': 'true',
        'only-changed': 'true',
        'github-token': 'ghs_x',
        since: 'abc1234',
      }),
    ).toMatchObject({ onlyChanged: true, githubToken: 'ghs_x', since: 'abc1234' });
    expect(() => settings({ 'users-file': 'u.json', 'dry-run': 'true', since: 'HEAD~1' })).toThrow(
      /since: must be a commit SHA/,
    );
  });

  it('needs no credentials for a dry run', () => {
    expect(settings({ 'users-file': 'a.json\n  b/*.json\n', 'dry-run': 'true' })).toEqual({
      usersFiles: ['a.json', 'b/*.json'],
      dryRun: true,
      maxChunkBytes: 512_000,
      upsert: false,
      onlyChanged: false,
      onUnappliedChange: 'error',
      commentOnPr: 'auto',
      reconcile: false,
      onRemoved: 'report',
      maxRemovals: { count: 10 },
      baseline: 'applied',
      protectedUsers: [],
      onPlanChanged: 'fail',
      requireReviewedPlan: false,
      notes: { warnings: [] },
    });
  });

  it('reads the tenant even in a dry run with baseline: tenant, so it needs credentials then', () => {
    expect(() => settings({ 'users-file': 'a.json', 'dry-run': 'true', baseline: 'tenant' })).toThrow(
      /domain: is required/,
    );
    expect(settings({ ...IMPORT, 'dry-run': 'true', baseline: 'tenant' }).import?.origin).toBe(
      'https://acme.us.auth0.com',
    );
  });

  it('asks for allow-delete as a second switch before on-removed: delete', () => {
    expect(() => settings({ ...IMPORT, 'on-removed': 'delete' })).toThrow(
      /on-removed: delete also needs allow-delete: true/,
    );
    expect(settings({ ...IMPORT, 'on-removed': 'delete', 'allow-delete': 'true' }).onRemoved).toBe('delete');
  });

  it.each([
    ['on-unapplied-change', 'maybe', 'must be one of error, warn'],
    ['comment-on-pr', 'sometimes', 'must be one of auto, always, never'],
    ['on-removed', 'archive', 'must be one of report, block, delete'],
    ['baseline', 's3', 'must be one of applied, git, tenant'],
  ])('names %s and its choices for a value it does not know', (name, value, message) => {
    expect(() => settings({ ...IMPORT, [name]: value })).toThrow(`${name}: ${message}, got "${value}"`);
  });

  it('requires users-file', () => {
    expect(() => settings({ 'dry-run': 'true' })).toThrow(/users-file: is required/);
  });

  it.each([
    ['https://acme.eu.auth0.com', 'https://acme.eu.auth0.com'],
    ['https://acme.eu.auth0.com/', 'https://acme.eu.auth0.com'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
    ['http://localhost:4000', 'http://localhost:4000'],
  ])('accepts the domain %s', (domain, origin) => {
    expect(settings({ ...IMPORT, domain }).import?.origin).toBe(origin);
  });

  it.each([
    ['http://acme.us.auth0.com', 'must use https://'],
    ['ftp://acme.us.auth0.com', 'must use https://'],
    ['https://acme.us.auth0.com/api/v2', 'without a path'],
    ['acme.us.auth0.com?x=1', 'without a path, query'],
    ['https://user:pw@acme.us.auth0.com', 'must not contain credentials'],
    ['not a host', 'must be a tenant host'],
  ])('refuses the domain %s', (domain, message) => {
    expect(() => settings({ ...IMPORT, domain })).toThrow(
      new RegExp(`domain: .*${message.replace(/[?/]/g, '\\$&')}`),
    );
  });

  it('takes a management API token instead of client credentials', () => {
    const { 'client-id': _, 'client-secret': __, ...rest } = IMPORT;
    expect(settings({ ...rest, 'management-api-token': 'tok' }).import?.credentials).toEqual({
      kind: 'token',
      token: 'tok',
    });
  });

  it('refuses both kinds of credentials at once', () => {
    expect(() => settings({ ...IMPORT, 'management-api-token': 'tok' })).toThrow(
      /management-api-token: give either it or client-id \+ client-secret/,
    );
  });

  it('refuses a client id without its secret', () => {
    expect(() => settings({ ...IMPORT, 'client-secret': '' })).toThrow(
      /client-secret: is required with client-id/,
    );
  });

  it('refuses both connection-id and connection-name', () => {
    expect(() => settings({ ...IMPORT, 'connection-name': 'db' })).toThrow(/give one, not both/);
  });

  it('checks the connection id pattern', () => {
    expect(() => settings({ ...IMPORT, 'connection-id': 'con_short' })).toThrow(
      /connection-id: must look like con_/,
    );
  });

  it('lists every missing import input at once', () => {
    expect(() => settings({ 'users-file': 'u.json' })).toThrow(
      /domain: is required[\s\S]*client-id[\s\S]*connection-id or connection-name/,
    );
  });

  it.each([
    ['max-concurrent-jobs', '3', 'from 1 to 2'],
    ['max-chunk-bytes', '512001', 'from 1500 to 512000'],
    ['wait-timeout-seconds', '0', 'from 1 to 21600'],
    ['upsert', 'yes', 'must be true or false'],
  ])('names %s and its accepted values when it is %s', (name, value, accepted) => {
    expect(() => settings({ ...IMPORT, [name]: value })).toThrow(
      `${name}: ${accepted.startsWith('must') ? accepted : `must be a whole number ${accepted}`}`,
    );
  });
});

describe('dry-run: auto', () => {
  const read = (inputs: Record<string, string>, event: string) =>
    readSettings(
      (name) => ({ ...IMPORT, ...inputs })[name] ?? '',
      () => {},
      event,
    );

  it.each(['pull_request', 'pull_request_target', 'merge_group'])('only plans on %s', (event) => {
    expect(read({}, event)).toMatchObject({ dryRun: true, notes: { warnings: [] } });
  });

  it.each(['push', 'workflow_dispatch', 'schedule'])('applies on %s', (event) => {
    expect(read({}, event).dryRun).toBe(false);
  });

  it('honours an explicit dry-run: false on a pull request, with a warning', () => {
    const settings = read({ 'dry-run': 'false' }, 'pull_request');
    expect(settings.dryRun).toBe(false);
    expect(settings.notes.warnings).toEqual([
      expect.stringContaining('dry-run: false on a pull_request event'),
    ]);
  });
});

describe('max-removals', () => {
  it.each([
    ['10', { count: 10 }],
    ['5%', { percent: 5 }],
    ['0', { count: 0 }],
  ])('reads %s', (value, limit) => {
    expect(settings({ ...IMPORT, 'max-removals': value }).maxRemovals).toEqual(limit);
  });

  it.each(['101%', '5.5%', 'ten', '-1'])('names the accepted forms for %s', (value) => {
    expect(() => settings({ ...IMPORT, 'max-removals': value })).toThrow(
      'max-removals: must be a whole number (10) or a percentage from 0% to 100% (5%)',
    );
  });
});
