/** What a run does to people, counted once for every report. */
import { describe, expect, it } from 'vitest';
import type { PlannedUser } from '../../src/plan/plan.js';
import { countPeople, peopleLine, peoplePolicy, type RunOutcomes } from '../../src/report/people.js';

function person(action: PlannedUser['action'], email: string, blocked = false): PlannedUser {
  return {
    action,
    email,
    changes: blocked
      ? [{ attribute: 'blocked', kind: 'added', after: 'true', effect: 'never', line: 1, column: 1 }]
      : [],
    cannotTell: [],
    warnings: [],
  };
}

const PLAN = [
  person('add', 'a@x.io'),
  person('update', 'b@x.io', true),
  person('update', 'c@x.io'),
  person('remove', 'd@x.io'),
  person('remove', 'e@x.io'),
  person('invalid', 'f@x.io'),
  person('unchanged', 'g@x.io'),
];
const POLICY = peoplePolicy([{ kind: 'block', email: 'e@x.io', place: 'the tenant' }]);

describe('people', () => {
  it('puts each person of a plan in one category', () => {
    const counts = countPeople(PLAN, POLICY);
    expect(peopleLine(counts)).toBe(
      '**1 added · 1 changed · 2 blocked · 1 left in Auth0 · 1 invalid** · 1 unchanged',
    );
  });

  it('counts a person after a run by what happened: done in their category, already so as unchanged', () => {
    const fates: Record<string, ReturnType<RunOutcomes['fateOf']>> = {
      'a@x.io': 'failed',
      'b@x.io': 'already so',
      'c@x.io': 'done',
      'e@x.io': 'done',
    };
    const counts = countPeople(PLAN, POLICY, { fateOf: (planned) => fates[planned.email] });
    expect(peopleLine(counts)).toBe(
      '**1 changed · 1 blocked · 1 left in Auth0 · 1 invalid · 1 failed** · 2 unchanged',
    );
  });

  it('writes counts of a thousand and more with separators, as every other number in the report', () => {
    const many = Array.from({ length: 1_200 }, (_, i) => person('add', `u${i}@x.io`));
    expect(peopleLine(countPeople(many, POLICY))).toBe('**1,200 added**');
  });

  it('says "no changes" when nobody moves', () => {
    expect(peopleLine(countPeople([person('unchanged', 'g@x.io')], POLICY))).toBe(
      '**no changes** · 1 unchanged',
    );
  });
});
