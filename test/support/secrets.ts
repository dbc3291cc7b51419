/** One assertion for every bundle test: no credential and no sensitive user value is shown anywhere. */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { ActionRun } from './action.js';

/** Every password hash, custom hash value, salt, HMAC key, TOTP secret and phone number in a users file. */
export function sensitiveUserValues(usersText: string): string[] {
  const found: string[] = [];
  const users = JSON.parse(usersText) as Record<string, unknown>[];
  for (const user of users) {
    const add = (value: unknown) => {
      if (typeof value === 'string' && value.length >= 4) found.push(value);
    };
    add(user.password_hash);
    add(user.phone_number);
    const custom = user.custom_password_hash as
      Record<string, Record<string, unknown> | undefined> | undefined;
    add(custom?.hash?.value);
    add((custom?.hash?.key as { value?: unknown } | undefined)?.value);
    add(custom?.salt?.value);
    for (const factor of (user.mfa_factors as Record<string, Record<string, unknown>>[] | undefined) ?? []) {
      add(factor.totp?.secret);
      add(factor.phone?.value);
    }
    for (const metadata of [user.app_metadata, user.user_metadata]) {
      JSON.stringify(
        metadata ?? {},
        (_key, value: unknown) => (
          typeof value === 'string' && value.startsWith('secret-') && add(value),
          value
        ),
      );
    }
  }
  return found;
}

/**
 * Credentials may appear only in `::add-mask::` commands (which the runner consumes), and each
 * must be masked before it could show; sensitive user values may not appear at all.
 */
export async function expectNoSecrets(
  run: ActionRun,
  secrets: { credentials?: string[]; userValues?: string[] },
): Promise<void> {
  const failedUsersFile = run.outputs['failed-users-file'];
  const places: Record<string, string> = {
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    failedUsersFile: failedUsersFile ? await readFile(failedUsersFile, 'utf8').catch(() => '') : '',
  };
  for (const value of secrets.userValues ?? []) {
    for (const [place, text] of Object.entries(places)) {
      expect(text.includes(value), `a sensitive user value appears in ${place}`).toBe(false);
    }
  }
  for (const value of secrets.credentials ?? []) {
    run.stdout.split('\n').forEach((line, i) => {
      if (line.includes(value) && line !== `::add-mask::${value}`) {
        expect.fail(`a credential appears unmasked on stdout line ${i + 1}`);
      }
    });
    for (const [place, text] of Object.entries(places)) {
      if (place !== 'stdout') expect(text.includes(value), `a credential appears in ${place}`).toBe(false);
    }
  }
}

/** Values the action masked (`::add-mask::`): its own record of which strings are credentials. */
export function maskedValues(run: ActionRun): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}
