/**
 * The plan's digest: what a merge will do, reduced to what a reviewer approved — each user's action
 * and the attributes it changes (values digested, never shown), the settings and the target; no
 * commit ids, so a pull request that was only behind its base still matches. The plan comment
 * carries it; the merge plans again and compares. Pure.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../inputs.js';
import { canonical, parseExact } from '../users/exact-json.js';
import { userJson } from '../users/validate.js';
import type { RunPlan } from './index.js';
import type { PlannedUser } from './plan.js';

/** One user: email (lower-cased), action, and `attribute:kind:digest` of what changes. */
export type DigestEntry = [email: string, action: string, changes: string[]];

export interface PlanDigest {
  digest: string;
  settings: Record<string, string>;
  /** Each user the plan acts on, by email; null when too many to carry in a comment. */
  users: DigestEntry[] | null;
}

/** Room in the comment for the users' entries; past it only the digest is compared. */
const ENTRIES_LIMIT = 30_000;

const BLOCK = /<!-- auth0-user-import-plan v1 ([A-Za-z0-9_-]+) -->/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A value's digest: 16 hex digits, enough to tell a change, too few to show a secret. */
function valueDigest(value: unknown): string {
  return sha256(value === undefined ? '' : canonical(value)).slice(0, 16);
}

/** The settings a merge applies, as the comment names them. */
export function appliedSettings(settings: Settings): Record<string, string> {
  return {
    target: settings.target ? `${settings.target.host} · connection ${settings.target.connection}` : 'none',
    upsert: String(settings.upsert),
    reconcile: String(settings.reconcile),
    'on-removed': settings.onRemoved,
    'protected-users': settings.protectedUsers.join(', ') || 'none',
    'only-changed': String(settings.onlyChanged),
    ...(settings.access ? { 'access-file': settings.access.file } : {}),
  };
}

function entryOf(planned: PlannedUser): DigestEntry {
  const email = planned.email.toLowerCase();
  if (!planned.user) return [email, planned.action, []];
  const json = userJson(planned.user);
  // A new user's whole record, as its compact JSON: no parse for the many users a large import adds.
  const changes: string[] = [];
  if (planned.action === 'add') changes.push(`record:added:${sha256(json).slice(0, 16)}`);
  else if (planned.changes.length > 0) {
    const record = parseExact(json) as Record<string, unknown>;
    for (const change of planned.changes)
      changes.push(`${change.attribute}:${change.kind}:${valueDigest(record[change.attribute])}`);
  }
  if (planned.action === 'rename' && planned.before)
    changes.push(`email:renamed:${valueDigest(planned.before.email.toLowerCase())}`);
  return [email, planned.action, changes.sort()];
}

/**
 * `access`: the access plan's changes as entries of their own (a person's label, `access`, each
 * change named): a merge whose roles or organizations would change otherwise than reviewed differs.
 */
export function planDigest(
  report: RunPlan,
  settings: Settings,
  access: readonly DigestEntry[] = [],
): PlanDigest {
  const managed = report.against.managed;
  const entries: DigestEntry[] = [];
  for (const planned of report.plan.users) {
    if (planned.action === 'unchanged') continue;
    // Users only in the tenant that the files never held are never removed: no part of the plan.
    if (planned.action === 'remove' && managed && !managed.has(planned.email.toLowerCase())) continue;
    entries.push(entryOf(planned));
  }
  entries.push(...access);
  entries.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const applied = appliedSettings(settings);
  const digest = sha256(JSON.stringify({ settings: applied, users: entries }));
  const users = JSON.stringify(entries).length <= ENTRIES_LIMIT ? entries : null;
  return { digest, settings: applied, users };
}

/** Hidden in the comment: base64url, so no email or value can end the HTML comment. */
export function digestBlock(digest: PlanDigest): string {
  return `<!-- auth0-user-import-plan v1 ${Buffer.from(JSON.stringify(digest)).toString('base64url')} -->`;
}

export function readDigestBlock(body: string): PlanDigest | undefined {
  const match = BLOCK.exec(body);
  if (!match) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as PlanDigest;
    return typeof parsed.digest === 'string' && typeof parsed.settings === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function attributesOf(changes: readonly string[]): string {
  return [...new Set(changes.map((change) => change.split(':')[0]))].join(', ') || 'no attributes';
}

/** What differs between the reviewed plan and this one, one line each; empty when they match. */
export function compareDigests(reviewed: PlanDigest, now: PlanDigest): string[] {
  if (reviewed.digest === now.digest) return [];
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(reviewed.settings), ...Object.keys(now.settings)])) {
    const before = reviewed.settings[name];
    const after = now.settings[name];
    if (before !== after)
      lines.push(`setting ${name}: reviewed ${before ?? '(not set)'}, now ${after ?? '(not set)'}`);
  }
  if (!reviewed.users || !now.users) {
    if (lines.length === 0) lines.push('the users of the plan differ (too many to compare one by one)');
    return lines;
  }
  const before = new Map(reviewed.users.map((entry) => [entry[0], entry]));
  const after = new Map(now.users.map((entry) => [entry[0], entry]));
  for (const email of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(email);
    const current = after.get(email);
    if (old && current && old[1] === current[1] && old[2].join() === current[2].join()) continue;
    if (!current) lines.push(`${email}: reviewed ${old![1]} (${attributesOf(old![2])}), now nothing to do`);
    else if (!old)
      lines.push(`${email}: not in the reviewed plan, now ${current[1]} (${attributesOf(current[2])})`);
    else if (old[1] !== current[1])
      lines.push(
        `${email}: reviewed ${old[1]} (${attributesOf(old[2])}), now ${current[1]} (${attributesOf(current[2])})`,
      );
    else {
      const changed = [...new Set([...old[2], ...current[2]])].filter(
        (change) => !old[2].includes(change) || !current[2].includes(change),
      );
      lines.push(`${email}: ${current[1]} with other values than reviewed (${attributesOf(changed)})`);
    }
  }
  return lines;
}
