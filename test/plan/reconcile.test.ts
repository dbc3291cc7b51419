/** Reconcile's pure parts: what a rename sets, and which actions the import's outcome holds back. */
import { describe, expect, it } from 'vitest';
import { holdBack, importFates } from '../../src/auth0/reconcile.js';
import type { ChunkResult } from '../../src/auth0/schedule.js';
import { planUsers, type Baseline } from '../../src/plan/plan.js';
import { planReconcile, type ReconcileAction } from '../../src/plan/reconcile.js';
import { buildChunks } from '../../src/users/chunks.js';
import { parseExact } from '../../src/users/exact-json.js';
import { validateRun } from '../../src/users/validate.js';

function gitBaseline(users: unknown[]): Baseline {
  return {
    kind: 'git',
    description: 'the base',
    users: users.map((user) => {
      const record = parseExact(JSON.stringify(user)) as Record<string, unknown>;
      return { email: String(record.email), record: () => record, place: 'users.json at abc1234' };
    }),
    unknowable: new Set(),
    fileGivesOnly: false,
  };
}

function usersOf(users: unknown[]) {
  return validateRun([{ file: 'users.json', text: JSON.stringify(users, null, 2) }]).users;
}

describe('planReconcile', () => {
  it("sets a renamed user's whole change: email, email_verified as the file says, metadata replaced whole", () => {
    const before = {
      email: 'ada@x.io',
      user_id: 'ada',
      name: 'Ada',
      app_metadata: { team: 'm', roles: ['r'] },
    };
    const after = {
      email: 'countess@x.io',
      user_id: 'ada',
      name: 'Countess',
      blocked: true,
      app_metadata: { roles: ['a'] },
    };
    const plan = planUsers(usersOf([after]), [], gitBaseline([before]));
    const [rename] = planReconcile(plan, 'report');
    expect(rename).toMatchObject({
      kind: 'rename',
      from: 'ada@x.io',
      set: {
        email: 'countess@x.io',
        email_verified: false,
        name: 'Countess',
        blocked: true,
        app_metadata: { roles: ['a'], team: null },
      },
    });
  });

  it('finds a removed user by the user_id it had', () => {
    const plan = planUsers(usersOf([]), [], gitBaseline([{ email: 'ada@x.io', user_id: 'ada' }]));
    expect(planReconcile(plan, 'block')).toEqual([
      { kind: 'block', email: 'ada@x.io', userId: 'ada', place: 'users.json at abc1234' },
    ]);
  });
});

describe('holding back', () => {
  const users = usersOf([{ email: 'a@x.io' }, { email: 'b@x.io' }]);
  const [chunk] = buildChunks(users, [{ first: 0, count: 2, bytes: 0 }], 'test');
  const completed = (failed: string[]): ChunkResult => ({
    chunk: chunk!,
    status: 'completed',
    jobId: 'job_1',
    summary: { total: 2, inserted: 2 - failed.length, updated: 0, failed: failed.length },
    failedUsers: failed.map((email) => {
      const user = [...users].find((candidate) => candidate.email === email)!;
      return {
        chunk: '1',
        jobId: 'job_1',
        file: user.file,
        line: user.line,
        email,
        codes: ['CONFLICT'],
        messages: [],
      };
    }),
  });
  const update = (index: number): ReconcileAction => {
    const user = users.at(index)!;
    return { kind: 'update', email: user.email!, user, set: { blocked: true } };
  };
  const removal: ReconcileAction = { kind: 'delete', email: 'old@x.io', place: 'users.json at abc1234' };

  it('holds back a change to a user Auth0 rejected, and lets the others go', () => {
    const fates = importFates([completed(['b@x.io'])]);
    expect(holdBack(update(0), fates, () => false)).toBeUndefined();
    expect(holdBack(update(1), fates, () => false)).toBe(
      'not applied: the import of this user failed (Auth0 rejected it (CONFLICT) in job job_1)',
    );
  });

  it('holds back every change when the job failed, and a removal while an added user is not imported', () => {
    const fates = importFates([{ chunk: chunk!, status: 'failed', jobId: 'job_1', failedUsers: [] }]);
    expect(holdBack(update(0), fates, () => true)).toMatch(/job job_1 failed/);
    expect(holdBack(removal, fates, () => true)).toMatch(
      /^not applied: the import of 2 users this run adds failed/,
    );
    expect(holdBack(removal, fates, () => false)).toBeUndefined();
  });

  it('lets a removal go once every added user is imported', () => {
    expect(holdBack(removal, importFates([completed([])]), () => true)).toBeUndefined();
  });
});
