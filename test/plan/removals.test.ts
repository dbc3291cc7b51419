/** Which removals a plan may make, and what tells a reviewed plan from the one a merge would apply. */
import { describe, expect, it } from 'vitest';
import { compareDigests, type PlanDigest } from '../../src/plan/digest.js';
import { isProtected, judgeRemovals, type RemovalRules } from '../../src/plan/removals.js';
import type { ReconcileAction } from '../../src/plan/reconcile.js';

const block = (email: string): ReconcileAction => ({ kind: 'block', email, place: 'users.json at abc1234' });

const RULES: RemovalRules = {
  onRemoved: 'block',
  maxRemovals: { count: 10 },
  protectedUsers: [],
  managedUsers: 100,
  file: 'users.json',
};

describe('protected-users', () => {
  it.each([
    ['admin@example.com', 'admin@example.com'],
    ['Admin@Example.com', 'admin@example.com'],
    ['sre@ops.example.com', '*@ops.example.com'],
  ])('protects %s with %s', (email, pattern) => {
    expect(isProtected(email, [pattern])).toBe(pattern);
  });

  it.each([
    ['admin@example.org', 'admin@example.com'],
    ['sre@ops.example.com.evil', '*@ops.example.com'],
    ['ab@example.com', 'a.b@example.com'],
  ])('does not protect %s with %s', (email, pattern) => {
    expect(isProtected(email, [pattern])).toBeUndefined();
  });
});

describe('judgeRemovals', () => {
  it('drops removals of users the applied files never held', () => {
    const { actions, problems } = judgeRemovals([block('kept@example.com'), block('self@example.com')], {
      ...RULES,
      managed: new Set(['kept@example.com']),
    });
    expect(actions.map((action) => action.email)).toEqual(['kept@example.com']);
    expect(problems).toEqual([]);
  });

  it('takes max-removals as a share of the users in the applied files, rounded down', () => {
    const three = [block('a@example.com'), block('b@example.com'), block('c@example.com')];
    expect(
      judgeRemovals(three, { ...RULES, maxRemovals: { percent: 5 }, managedUsers: 60 }).problems,
    ).toEqual([]);
    expect(
      judgeRemovals(three, { ...RULES, maxRemovals: { percent: 5 }, managedUsers: 59 }).problems,
    ).toHaveLength(1);
  });
});

describe('compareDigests', () => {
  const digest = (users: PlanDigest['users'], upsert = 'true'): PlanDigest => ({
    digest: JSON.stringify([users, upsert]),
    settings: { upsert },
    users,
  });

  it('finds nothing when the digests match', () => {
    const users: PlanDigest['users'] = [['a@example.com', 'add', ['record:added:1']]];
    expect(compareDigests(digest(users), digest(users))).toEqual([]);
  });

  it('names the attributes whose values changed, never the values', () => {
    expect(
      compareDigests(
        digest([['a@example.com', 'update', ['password_hash:changed:1111']]]),
        digest([['a@example.com', 'update', ['password_hash:changed:2222']]]),
      ),
    ).toEqual(['a@example.com: update with other values than reviewed (password_hash)']);
  });

  it('names a setting that changed and a user no longer in the plan', () => {
    expect(compareDigests(digest([['a@example.com', 'remove', []]], 'false'), digest([], 'true'))).toEqual([
      'setting upsert: reviewed false, now true',
      'a@example.com: reviewed remove (no attributes), now nothing to do',
    ]);
  });
});
