/**
 * The baseline from the tenant itself: what Auth0 holds for the connection, read through a users
 * export. The export cannot show password hashes or MFA factors, and Auth0 fills in attributes a
 * file never gave (name, nickname, picture) while the dashboard may set others: so only what the
 * file gives is compared, and hashes are "cannot tell".
 */
import { parseExact } from '../users/exact-json.js';
import type { Baseline, BaselineUser } from './plan.js';

export interface TenantSnapshot {
  /** The connection, by name or id. */
  connection: string;
  jobId: string;
  /** Lower-cased email → the user in file shape as canonical JSON. */
  byEmail: ReadonlyMap<string, string>;
}

/** Attributes Auth0 never exports. */
export const UNKNOWABLE = new Set(['password_hash', 'custom_password_hash', 'mfa_factors']);

/**
 * `applied`: the users files at the last applied commit, less what that run did not apply. For a
 * user they hold, what the export cannot show is taken from them (as it was applied), so a changed
 * hash or factor is a change, not "cannot tell"; for the tenant's other users it stays unknown.
 * `resendUnseen` (upsert): a user the applied files do not hold whose file gives MFA factors or a
 * custom hash is sent again, since nothing says whether those were ever imported.
 */
export function tenantBaseline(
  snapshot: TenantSnapshot,
  { applied, resendUnseen }: { applied?: Baseline | undefined; resendUnseen: boolean },
): Baseline {
  const place = `the tenant`;
  const users: BaselineUser[] = [];
  const appliedUsers = new Map((applied?.users ?? []).map((user) => [user.email.toLowerCase(), user]));
  // Parsed only when the plan looks at a user: a million users stay a million short texts.
  for (const [email, text] of snapshot.byEmail) {
    const record = () => parseExact(text) as Record<string, unknown>;
    const before = appliedUsers.get(email.toLowerCase());
    if (!before) {
      users.push({ email, place, record });
      continue;
    }
    users.push({
      email,
      place,
      known: UNKNOWABLE,
      record: () => {
        const fromFiles = before.record();
        const merged = record();
        for (const attribute of UNKNOWABLE) {
          delete merged[attribute];
          if (Object.hasOwn(fromFiles, attribute)) merged[attribute] = fromFiles[attribute];
        }
        return merged;
      },
    });
  }
  return {
    kind: 'tenant',
    description: `the tenant (connection ${snapshot.connection}, export ${snapshot.jobId}, ${snapshot.byEmail.size} users)`,
    users,
    unknowable: UNKNOWABLE,
    fileGivesOnly: true,
    ...(resendUnseen
      ? {
          resendUnseen: applied
            ? 'not in the last applied commit'
            : 'there is no applied baseline to compare with',
        }
      : {}),
  };
}
