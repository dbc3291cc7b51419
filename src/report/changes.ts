/** How an only-changed run reads: what the change did to the users, and what import cannot undo. */
import type { UserChanges } from '../users/diff.js';
import { cell, plural, table } from './markdown.js';

const LISTED_EMAILS = 20;

export function listEmails(emails: readonly string[]): string {
  const shown = emails.slice(0, LISTED_EMAILS).join(', ');
  return emails.length > LISTED_EMAILS ? `${shown} and ${emails.length - LISTED_EMAILS} more` : shown;
}

export function removedWarning(changes: UserChanges, commit: string): string | undefined {
  if (changes.removed.length === 0) return undefined;
  return `${plural(changes.removed.length, 'user')} removed from the users files in ${commit} ${
    changes.removed.length === 1 ? 'is' : 'are'
  } still in Auth0 (bulk import cannot delete): ${listEmails(changes.removed.map((user) => user.email))}`;
}

export function renderChanges(changes: UserChanges, reason: string, commit: string): string {
  const parts = [
    `### Changes since ${cell(reason)}`,
    table(
      ['Added', 'Modified', 'Unchanged (skipped)', 'Removed from the file — still in Auth0'],
      [[changes.added.length, changes.modified.length, changes.unchanged.length, changes.removed.length]],
    ),
  ];
  const removed = removedWarning(changes, commit);
  if (removed) parts.push(`> [!WARNING]\n> ${cell(removed)}. Delete them in Auth0 if they should go.`);
  for (const change of changes.emailChanges.slice(0, LISTED_EMAILS)) {
    parts.push(
      `- ${cell(change.from)} → ${cell(change.to.email ?? '')} (${change.to.file}:${change.to.line}, user_id ${cell(change.to.userId ?? '')}): an email change imports as a new user; the old one is not renamed, and while it keeps this user_id Auth0 refuses the new one as a conflict: delete the old user first.`,
    );
  }
  if (changes.emailChanges.length > LISTED_EMAILS)
    parts.push(`- …and ${changes.emailChanges.length - LISTED_EMAILS} more email changes.`);
  return parts.join('\n\n');
}
