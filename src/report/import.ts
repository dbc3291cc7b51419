/** How an import reads in the summary and the log: counts, a row per chunk, every failed user traced to its line. */
import type { FailedUser } from '../auth0/job-errors.js';
import type { ChunkResult } from '../auth0/schedule.js';
import { cappedTable, code, details, list, markdown, text } from './markdown.js';
import { countImport } from './outcome.js';
import { number, plural } from './words.js';

export const SUMMARY_FAILED_ROWS = 50;
export const SUMMARY_JOB_ROWS = 200;
export const SUMMARY_NOTE_ROWS = 50;

/** What to do about each error code, and for some codes, about particular messages. */
const CODE_HINTS: Record<string, string> = {
  DUPLICATED_USER:
    'The user already exists in the tenant (perhaps left by an earlier import or migration): set upsert: true to update it, or remove it from the file.',
  CONFLICT: 'The same user appears twice in one job: keep one.',
  CONFLICT_EMAIL: 'The same email appears twice in one job: keep one.',
  CONFLICT_USERNAME: 'The same username appears twice in one job: keep one.',
  CONNECTION_NOT_FOUND: 'Check connection-id / connection-name.',
  PROFILE_SIZE_EXCEEDED: 'The profile is too large: shrink app_metadata / user_metadata.',
  MFA_FACTORS_FAILED:
    'The profile was imported but its MFA factors were not: retrying this user is safe (with upsert: true).',
  INVALID_FORMAT: 'Fix the format of the property the message names; the dry run checks most formats.',
  FORMAT: 'Fix the format of the property the message names; the dry run checks most formats.',
  OBJECT_MISSING_REQUIRED_PROPERTY: 'Add the property the message names (every user needs an email).',
  OBJECT_REQUIRED: 'Add the property the message names (every user needs an email).',
  OBJECT_ADDITIONAL_PROPERTIES:
    'Remove the properties the message names, or move custom data into user_metadata / app_metadata.',
  NOT_PASSED:
    'Auth0 refused a combination of properties, e.g. both password_hash and custom_password_hash: keep one.',
};

/** Messages that say more than their code. */
const MESSAGE_HINTS: readonly [RegExp, string][] = [
  [
    /already provided/i,
    'The same user is repeated in this file (same email, username or user_id): keep one.',
  ],
  [
    /passwordHash|password_hash/i,
    'password_hash takes bcrypt with cost 10 only ("$2a$10$" / "$2b$10$"): put other hashes in custom_password_hash with algorithm "bcrypt".',
  ],
];

export function hintFor(codes: readonly string[], messages: readonly string[] = []): string {
  for (const [pattern, hint] of MESSAGE_HINTS) if (messages.some((text) => pattern.test(text))) return hint;
  for (const code of codes) {
    // Own keys only: a code such as "constructor" must not reach Object.prototype.
    const hint = Object.hasOwn(CODE_HINTS, code) ? CODE_HINTS[code] : undefined;
    if (hint) return hint;
  }
  return 'Fix the value the message names; the dry run checks most of these before sending.';
}

/** A failed user's place; users Auth0's echo could not be matched show their chunk instead. */
export function failedUserPlace(user: FailedUser): string {
  return user.file ? `${user.file}:${user.line}` : `(chunk ${user.chunk})`;
}

function duration(result: ChunkResult): string {
  if (result.submittedAt === undefined || result.finishedAt === undefined) return '';
  return `${((result.finishedAt - result.submittedAt) / 1000).toFixed(1)} s`;
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  'not-sent': 'not sent',
  unknown: 'unknown (answer lost)',
  refused: 'refused on create',
};

function statusCell(result: ChunkResult): string {
  const word = Object.hasOwn(STATUS_WORDS, result.status) ? STATUS_WORDS[result.status]! : result.status;
  return result.status === 'processing' && result.percentageDone !== undefined
    ? `${word} (${result.percentageDone}%)`
    : word;
}

export interface ImportSummary {
  results: readonly ChunkResult[];
  failedUsers: readonly FailedUser[];
  usersPerMinute?: number;
}

/** A rate measured over less than a minute says nothing: it is shown only past one. */
function measuredRate(report: ImportSummary): string | undefined {
  const starts = report.results.flatMap((result) => result.submittedAt ?? []);
  const ends = report.results.flatMap((result) => result.finishedAt ?? []);
  if (report.usersPerMinute === undefined || starts.length === 0 || ends.length === 0) return undefined;
  if (Math.max(...ends) - Math.min(...starts) < 60_000) return undefined;
  return `Measured rate: ${number(Math.round(report.usersPerMinute))} users per minute.`;
}

/** The failed users and the chunks with something to say: shown, as they need attention. */
export function renderImportAttention(report: ImportSummary): string {
  const parts: string[] = [];
  if (report.failedUsers.length > 0) {
    const items = report.failedUsers
      .slice(0, SUMMARY_FAILED_ROWS)
      .map(
        (user) =>
          `${code(user.email ?? user.userId ?? '?')} ${text(failedUserPlace(user))}: ${text(
            `${user.codes.join(', ')}: ${user.messages.join('; ')}`,
          )}<br>What to do: ${text(hintFor(user.codes, user.messages))}`,
      );
    const rest = report.failedUsers.length - items.length;
    if (rest > 0) items.push(`…and ${rest} more (all are in the failed-users-file output and the step log).`);
    parts.push(`### Failed users (${report.failedUsers.length})`, list(items));
  }
  const notes = report.results.filter((result) => result.note || result.statusDetails);
  if (notes.length > 0) {
    const shown = notes
      .slice(0, SUMMARY_NOTE_ROWS)
      .map(
        (result) =>
          `Chunk ${text(result.chunk.label)}${result.jobId ? ` (${code(result.jobId)})` : ''}, external\\_id ${code(result.chunk.externalId)}: ${text(
            [result.statusDetails, result.note].filter(Boolean).join(' — '),
          )}`,
      );
    if (notes.length > SUMMARY_NOTE_ROWS)
      shown.push(`…and ${notes.length - SUMMARY_NOTE_ROWS} more in the step log.`);
    parts.push('### Chunk notes', list(shown));
  }
  return parts.join('\n\n');
}

/** The jobs, folded: each chunk's job, status and counts, and where the users went. */
export function renderJobs(report: ImportSummary, target: string): string {
  if (report.results.length === 0) return '';
  const counts = countImport(report.results);
  const rate = measuredRate(report);
  const body = [
    target,
    cappedTable(
      ['Job', 'Chunk', 'Users', 'Status', 'Inserted / updated / failed', 'Duration'],
      report.results,
      (result) => [
        result.jobId ? markdown(code(result.jobId)) : '—',
        `${result.chunk.label}: ${result.chunk.source}`,
        result.chunk.users.length,
        statusCell(result),
        result.summary
          ? `${result.summary.inserted} / ${result.summary.updated} / ${result.summary.failed}`
          : '',
        duration(result),
      ],
      SUMMARY_JOB_ROWS,
    ),
    ...(rate ? [rate] : []),
  ].join('\n\n');
  const parts = [
    [counts.inserted, 'inserted'],
    [counts.updated, 'updated'],
    [counts.failed, 'failed'],
    [counts.runningUsers, 'still running'],
    [counts.unsentUsers, 'not sent'],
    [counts.unknownUsers, 'unknown (answer lost)'],
  ] as const;
  const said = parts.filter(([count]) => count > 0).map(([count, what]) => `${number(count)} ${what}`);
  const title = `${plural(report.results.length, 'job')}: ${said.length > 0 ? said.join(', ') : 'no users'}`;
  return details(title, body);
}
