import { quoteName } from './quotable.js';

/** A JSON path inside one users file, from its top-level array: `[12, 'custom_password_hash', 'hash']`. */
export type JsonPath = readonly (string | number)[];

/** Something wrong with one user, found without knowing where the user sits in its file. */
export interface UserIssue {
  /** Path relative to the user object; `[]` is the user itself (e.g. a missing required property). */
  path: JsonPath;
  message: string;
  hint?: string;
  /** Point at the property's key instead of its value (unknown or reserved property names). */
  at?: 'key';
}

/** A problem with its place: what a user sees in the log, the summary and the diff annotation. */
export interface Problem {
  /** Path relative to the workspace, as GitHub annotations want it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units of the line (what editors and GitHub show). */
  column: number;
  /** `[12].custom_password_hash.hash.encoding`; empty for a problem with the file itself. */
  path: string;
  message: string;
  hint?: string;
}

/** Renders a path the way JavaScript would access it: `[12].app_metadata["odd key"]`, long keys cut short. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]{0,59}$/.test(segment)) out += `.${segment}`;
    else out += `[${quoteName(segment)}]`;
  }
  return out;
}

/** Where a rule hands each problem it finds. */
export type Report = (issue: UserIssue) => void;

/** A path as a reader names the property: `custom_password_hash.hash.value`, `mfa_factors[0].totp`. */
export function fieldName(path: JsonPath): string {
  return path.length === 0 ? 'the user' : formatJsonPath(path).replace(/^\./, '');
}

/** An issue whose message is the field's name and `predicate`: "email must be a string, got a number". */
export function problem(
  path: JsonPath,
  predicate: string,
  extra: { hint?: string | undefined; at?: 'key' } = {},
): UserIssue {
  const issue: UserIssue = { path, message: `${fieldName(path)} ${predicate}` };
  if (extra.hint !== undefined) issue.hint = extra.hint;
  if (extra.at !== undefined) issue.at = extra.at;
  return issue;
}

/** A property that should be there and is not: the issue belongs to the object that lacks it. */
export function missing(path: JsonPath, predicate: string, hint?: string): UserIssue {
  return { ...problem(path, predicate, { hint }), path: path.slice(0, -1) };
}
