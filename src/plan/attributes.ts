/**
 * What Auth0's upsert does with each attribute of an existing user (facts doc, "The user record"):
 * replaced, never updated, or not reliably updated. A change to an attribute upsert never updates
 * looks applied (the job counts the user as updated) and is not.
 */

/** How a change to an attribute reaches an existing user through an upsert import. */
export type UpsertEffect = 'applies' | 'never' | 'may-not';

const NEVER_UPDATED = new Set([
  'blocked',
  'username',
  'password_hash',
  'phone_number',
  'phone_verified',
  'user_id',
]);

export function upsertEffect(attribute: string): UpsertEffect {
  if (NEVER_UPDATED.has(attribute)) return 'never';
  // The docs contradict each other on mfa_factors; custom_password_hash is replaced only for a user
  // who never logged in with it.
  if (attribute === 'mfa_factors' || attribute === 'custom_password_hash') return 'may-not';
  return 'applies';
}

/** Attributes Auth0 lets the Users API set on a database user (PATCH /api/v2/users/{id}). */
export const PATCHABLE = new Set(['blocked', 'username', 'phone_number', 'phone_verified', 'email']);

/** What to do instead of importing a change upsert will not apply. */
export function insteadOfImport(attribute: string): string {
  if (attribute === 'password_hash' || attribute === 'custom_password_hash')
    return 'a changed password hash of an existing user cannot be imported: have the user reset their password, or delete the user in Auth0 first';
  if (attribute === 'user_id')
    return 'a user_id cannot change: delete the user in Auth0 first, or keep the old user_id';
  if (attribute === 'mfa_factors')
    return 'Auth0 may keep the old factors: check the user in the dashboard after the import, or reset their MFA enrolment';
  return `set it in the Auth0 dashboard or through the Users API (PATCH /api/v2/users/{id}), or use reconcile: true`;
}
