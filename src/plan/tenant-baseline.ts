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
 * `resendUnseen`: with upsert, a user whose file gives MFA factors or a custom hash is sent again, as
 * no applied baseline says whether they were imported.
 */
export function tenantBaseline(
  snapshot: TenantSnapshot,
  { resendUnseen }: { resendUnseen: boolean },
): Baseline {
  const place = `the tenant`;
  const users: BaselineUser[] = [];
  // Parsed only when the plan looks at a user: a million users stay a million short texts.
  for (const [email, text] of snapshot.byEmail) {
    users.push({ email, place, record: () => parseExact(text) as Record<string, unknown> });
  }
  return {
    kind: 'tenant',
    description: `the tenant (connection ${snapshot.connection}, export ${snapshot.jobId}, ${snapshot.byEmail.size} users)`,
    users,
    unknowable: UNKNOWABLE,
    fileGivesOnly: true,
    ...(resendUnseen ? { resendUnseen: 'there is no applied baseline to compare with' } : {}),
  };
}
