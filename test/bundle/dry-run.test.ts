import { describe, expect, it } from 'vitest';
import { makeWorkspace, runAction } from '../support/action.js';

const VALID = `[
  { "email": "ada@example.com", "name": "Ada" },
  { "email": "alan@example.com", "password_hash": "$2b$10$C9P9mZ0wZ0bq5l5mYbZJmu8s3l0c3pQ7Sx6m7b9M2Zr8b1o2w3Xy." }
]
`;

describe('dry run', () => {
  it('passes a valid file, plans its chunks and sends nothing', async () => {
    const workspace = await makeWorkspace({ 'users/all.json': VALID });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users/*.json', 'dry-run': 'true' } });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: '2', chunks: '1' });
    expect(run.errors).toEqual([]);
    expect(run.summary).toContain(
      '✅ 2 users in 1 file are valid: 2 users would be sent in 1 job (dry run: nothing was sent).',
    );
    expect(run.summary).toMatch(
      /<summary>Chunks \(1\)<\/summary>\n\n.*\n.*\n\| 1 \| 2 \| \d+ \| users\/all\.json:2-3 \|/,
    );
  });

  it('points at the first bad token of malformed JSON', async () => {
    const workspace = await makeWorkspace({
      'users.json': '[\n  { "email": "ada@example.com" }\n  { "email": "alan@example.com" }\n]\n',
    });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    expect(run.errors[0]).toBe(
      '::error::❌ 1 problem in users.json: nothing was sent. Fix it and run again.',
    );
    expect(run.errors[1]).toMatch(
      /^::error file=users\.json,line=3,col=3::Unexpected '\{': expected ',' or '\]'/,
    );
    expect(run.summary).toContain('❌ 1 problem in users.json: nothing was sent.');
  });

  it('annotates every kind of problem on its line and column', async () => {
    const text = [
      '[',
      '  { "email": "not-an-email" },',
      '  { "email": "b@example.com", "colour": "blue" },',
      '  { "email": "c@example.com", "user_id": "auth0|123" },',
      '  { "email": "B@example.com" },',
      '  { "name": "no email" }',
      ']',
    ].join('\n');
    const workspace = await makeWorkspace({ 'users.json': text });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    const places = run.errors
      .slice(1)
      .map((line) => /file=([^,]+),line=(\d+),col=(\d+)::(\[\d+\]\.?\w*)/.exec(line)?.slice(1).join(' '));
    expect(places).toEqual([
      'users.json 2 14 [0].email',
      'users.json 3 31 [1].colour',
      'users.json 4 42 [2].user_id',
      'users.json 5 14 [3].email',
      'users.json 6 3 [4]',
    ]);
    expect(run.errors[4]).toContain('Duplicate email "B@example.com": the same user is also at users.json:3');
    expect(run.summary).toContain('### Problems (5)');
    expect(run.outputs.total).toBe('5');
  });

  it("annotates the verdict first and 9 problems, within GitHub's 10 per step, and lists all in the log", async () => {
    const users = Array.from(
      { length: 12 },
      (_, i) => `{ "email": "user${i}@example.com", "blocked": "no" }`,
    );
    const workspace = await makeWorkspace({ 'users.json': `[\n${users.join(',\n')}\n]` });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.errors).toHaveLength(10);
    expect(run.errors[0]).toMatch(/^::error::❌ 12 problems in users\.json:/);
    expect(run.errors.filter((line) => line.includes('file=users.json'))).toHaveLength(9);
    expect(run.stdout).toContain('users.json:13:');
    expect(run.stdout).toContain(
      'Annotated the first 9 (GitHub keeps 10 error annotations per step, the verdict included)',
    );
  });

  it('refuses a valid file without dry-run and without credentials before any request', async () => {
    const workspace = await makeWorkspace({ 'users.json': VALID });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::❌ domain: is required to import/);
    expect(run.stdout).toContain('client-id + client-secret');
  });

  it('names the input and the accepted values for a bad input', async () => {
    const workspace = await makeWorkspace({ 'users.json': VALID });
    const run = await runAction({
      workspace,
      inputs: { 'users-file': 'users.json', 'dry-run': 'yes', 'max-chunk-bytes': '600000' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('dry-run: must be one of auto, true, false, got "yes"');
    expect(run.stdout).toContain('max-chunk-bytes: must be a whole number from 1500 to 512000');
    expect(run.summary).toContain('❌ dry-run: must be one of auto, true, false');
  });

  it('fails clearly when the glob matches nothing', async () => {
    const workspace = await makeWorkspace({ 'users.json': VALID });
    const run = await runAction({ workspace, inputs: { 'users-file': 'people/*.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('users-file: "people/*.json" matches no file in the workspace');
  });

  it('refuses a symlink that leaves the workspace', async () => {
    const outside = await makeWorkspace({ 'secret.json': VALID });
    const workspace = await makeWorkspace({});
    const { symlink } = await import('node:fs/promises');
    await symlink(`${outside}/secret.json`, `${workspace}/users.json`);
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/users-file: "users\.json" resolves to .*, outside the workspace/);
  });

  it('reads several files as one run and finds duplicates across them', async () => {
    const workspace = await makeWorkspace({
      'a.json': '[{ "email": "ada@example.com" }]',
      'b.json': '\uFEFF[{ "email": "ADA@example.com" }]',
    });
    const run = await runAction({ workspace, inputs: { 'users-file': 'a.json\nb.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    expect(run.errors.filter((line) => line.includes('file='))).toEqual([
      expect.stringContaining(
        'file=b.json,line=1,col=13::[0].email: Duplicate email "ADA@example.com": the same user is also at a.json:1',
      ),
    ]);
  });
});
