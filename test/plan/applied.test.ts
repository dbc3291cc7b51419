/** What a run records for the next one, and how the next one reads it. */
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/auth0/import.js';
import { appliedBaseline, forgiveDuplicates, runRecord, PAYLOAD_LIMIT } from '../../src/plan/applied.js';
import type { Baseline } from '../../src/plan/plan.js';

const SHA = 'a'.repeat(40);

/** A chunk result with just what the record reads: its users' emails, status, job and rejections. */
function chunk(status: string, emails: string[], more: { jobId?: string; rejected?: string[] } = {}) {
  return {
    chunk: { users: emails.map((email) => ({ email })) },
    status,
    ...(more.jobId ? { jobId: more.jobId } : {}),
    failedUsers: (more.rejected ?? []).map((email) => ({
      chunk: '1',
      jobId: more.jobId ?? '',
      email,
      codes: ['DUPLICATED_USER'],
      messages: [],
    })),
    summary: { total: emails.length, inserted: 0, updated: 0, failed: more.rejected?.length ?? 0 },
  };
}

const result = (...chunks: ReturnType<typeof chunk>[]) => ({ results: chunks }) as unknown as ImportResult;

describe('runRecord', () => {
  it('lists the users rejected or never sent as not applied, and those sent without a known end as unknown', () => {
    const record = runRecord(
      SHA,
      null,
      result(
        chunk('completed', ['a@example.com', 'b@example.com'], {
          jobId: 'job_1',
          rejected: ['b@example.com'],
        }),
        chunk('not-sent', ['c@example.com']),
        chunk('unknown', ['d@example.com']),
        chunk('processing', ['e@example.com'], { jobId: 'job_2' }),
      ),
    );
    expect(record).toMatchObject({
      complete: true,
      payload: {
        sha: SHA,
        base: null,
        notApplied: ['b@example.com', 'c@example.com'],
        unknown: ['d@example.com', 'e@example.com'],
      },
    });
  });

  it('records no list too large for a deployment, and says the next run plans against the last complete one', () => {
    const many = Array.from({ length: PAYLOAD_LIMIT / 10 }, (_, i) => `user${i}@example.com`);
    const record = runRecord(SHA, null, result(chunk('not-sent', many)));
    expect(record.complete).toBe(false);
    expect(record.payload.notApplied).toEqual([]);
    expect(record.description).toContain('the next run plans against the last complete deployment');
  });
});

describe('appliedBaseline', () => {
  it('drops the users a run did not apply and brings back those it did not remove', () => {
    const files: Baseline = {
      kind: 'git',
      description: 'x',
      users: ['a@example.com', 'B@example.com'].map((email) => ({
        email,
        place: 'f',
        record: () => ({ email }),
      })),
      unknowable: new Set(),
      fileGivesOnly: false,
    };
    const baseline = appliedBaseline(
      files,
      { sha: SHA, base: null, notApplied: ['b@example.com'], unknown: [], notRemoved: ['gone@example.com'] },
      'p',
    );
    expect(baseline.users.map((user) => user.email)).toEqual(['a@example.com', 'gone@example.com']);
  });
});

describe('forgiveDuplicates', () => {
  it('takes a DUPLICATED_USER for a user of unknown outcome off the failures', () => {
    const imported = result(
      chunk('completed', ['a@example.com', 'b@example.com'], {
        jobId: 'job_1',
        rejected: ['a@example.com', 'b@example.com'],
      }),
    );
    expect(forgiveDuplicates(imported, ['A@example.com'])).toBe(1);
    expect(imported.results[0]!.failedUsers.map((user) => user.email)).toEqual(['b@example.com']);
    expect(imported.results[0]!.summary?.failed).toBe(1);
  });
});
