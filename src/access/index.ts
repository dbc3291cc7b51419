/**
 * Access as code in a run: read the access file, plan it against the tenant before anything is sent,
 * apply it after the import following each user's outcome, and add it to what the run publishes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../auth0/http.js';
import { userExists } from '../auth0/users.js';
import type { ChunkResult } from '../auth0/schedule.js';
import type { AccessSettings } from '../inputs.js';
import type { Publication } from '../report/publish.js';
import type { Problem } from '../users/problem.js';
import type { UserList } from '../users/validate.js';
import type { AccessResult } from './apply.js';
import { parseAccessFile, type AccessFile } from './file.js';
import { planAccess, protectedMatcher, type AccessPlan } from './plan.js';
import { accessCounts, accessLine, accessProblems, renderAccess } from './report.js';
import { readTenantAccess } from './tenant.js';

export { applyAccess } from './apply.js';
export { readAdopted, writeAdopted } from './adopt.js';
export { renderAccess } from './report.js';
export type { AccessPlan } from './plan.js';

/** The access plan as the reviewed plan's digest holds it: per person, each change named. */
export function digestEntries(plan: AccessPlan): [string, string, string[]][] {
  const byPerson = new Map<string, string[]>();
  for (const action of plan.actions) {
    const label = action.person.label.toLowerCase();
    const place =
      'organization' in action
        ? `${action.organization}${'role' in action ? `/${action.role}` : ''}`
        : action.role;
    byPerson.set(label, [...(byPerson.get(label) ?? []), `${action.kind}:${place}`]);
  }
  return [...byPerson].map(([label, changes]) => [label, 'access', changes.sort()]);
}

/** The access file read and checked, or its problems; `missing` when it does not exist. */
export async function readAccessFile(
  workspace: string,
  file: string,
): Promise<{ access?: AccessFile; problems: Problem[]; missing?: true }> {
  const full = path.resolve(workspace, file);
  const relative = path.relative(workspace, full);
  const place = { file: relative, line: 1, column: 1, path: '' };
  if (relative.startsWith('..') || path.isAbsolute(relative))
    return { problems: [{ ...place, file, message: 'access-file must be inside the workspace' }] };
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return {
        missing: true,
        problems: [
          {
            ...place,
            message: `access-file ${file} does not exist`,
            hint: 'create it, or run the workflow once with write-access-file: true to adopt what the tenant has',
          },
        ],
      };
    return { problems: [{ ...place, message: `access-file ${file} cannot be read: ${String(error)}` }] };
  }
  return parseAccessFile(text, relative);
}

/**
 * Reads the named roles and organizations once each and compares them with the file. A user_id the
 * file names that no listing showed is looked up before anything is sent: an unknown one would fail
 * the whole bulk grant it is part of.
 */
export async function planTenantAccess(
  api: ApiClient,
  access: AccessFile,
  users: UserList,
  settings: AccessSettings & { protectedUsers: readonly string[] },
): Promise<AccessPlan> {
  const tenant = await readTenantAccess(api, access);
  const plan = planAccess(access, users, tenant, {
    maxRevocations: settings.maxRevocations,
    isProtected: protectedMatcher(settings.protectedUsers),
  });
  const listed = new Set(
    [...tenant.roles.values(), ...tenant.organizations.values()].flatMap((found) =>
      found ? ('holders' in found ? found.holders : found.members).map((entry) => entry.user_id) : [],
    ),
  );
  const named = new Set(plan.actions.map((action) => action.person).filter((person) => person.named));
  for (const person of named) {
    if (listed.has(person.userId!) || (await userExists(api, person.userId!))) continue;
    plan.problems.push({
      file: plan.file,
      ...person.named!,
      path: '',
      message: `person not found: the tenant has no user ${person.label}`,
      hint: 'check the user_id in the dashboard (User Management > Users), e.g. google-oauth2|123',
    });
  }
  return plan;
}

/**
 * Why a users-file user's access changes are held back: their import did not complete or Auth0
 * rejected them (issue 18's rule). Users not sent (unchanged) go on.
 */
export function heldBackBy(results: readonly ChunkResult[]): (ordinal: number) => string | undefined {
  const held = new Map<number, string>();
  for (const result of results) {
    const rejected = new Set(result.failedUsers.map((user) => `${user.file}:${user.line}`));
    for (const user of result.chunk.users) {
      if (result.status !== 'completed') held.set(user.ordinal, `import ${result.status}`);
      else if (rejected.has(`${user.file}:${user.line}`)) held.set(user.ordinal, 'import rejected the user');
    }
  }
  return (ordinal) => held.get(ordinal);
}

/** Access left alone because the import did not finish (cancelled, out of time, could not begin). */
export function notApplied(plan: AccessPlan): { results: AccessResult[]; stopped: string } {
  const stopped = 'the import did not finish, so no access change was sent';
  return { results: plan.actions.map((action) => ({ action, outcome: 'not-done' })), stopped };
}

/** The run's publication with access added: the plan (or what was applied), its outputs, its failures. */
export function withAccess(
  publication: Publication,
  plan: AccessPlan | undefined,
  applied?: { results: AccessResult[]; stopped?: string },
): Publication {
  if (!plan) return publication;
  const section = renderAccess(plan, applied?.results, applied?.stopped);
  if (!applied) return { ...publication, sections: [...publication.sections, section] };
  const failed = applied.results.filter(
    (result) => result.outcome === 'failed' || result.outcome === 'not-done',
  );
  const { outcome } = publication;
  const failure = failed.length > 0 ? [accessLine(plan, applied.results)] : [];
  return {
    ...publication,
    outcome:
      failed.length > 0
        ? {
            ...outcome,
            ok: false,
            verdict: outcome.ok ? `❌ ${accessLine(plan, applied.results)}` : outcome.verdict,
            failures: [...outcome.failures, ...failure],
          }
        : outcome,
    sections: [...publication.sections, section],
    outputs: { ...publication.outputs, ...accessCounts(applied.results) },
    problems: [...(publication.problems ?? []), ...accessProblems(applied.results)],
  };
}
