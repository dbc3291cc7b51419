import { describe, expect, it } from 'vitest';
import { hintFor } from '../../src/report/import.js';

describe('what to do about a user Auth0 rejected', () => {
  it('tells a user repeated in the file from one already in the tenant, though both are DUPLICATED_USER', () => {
    expect(hintFor(['DUPLICATED_USER'], ['A user with this email was already provided.'])).toContain(
      'repeated in this file',
    );
    expect(hintFor(['DUPLICATED_USER'], ['The user already exist and upsert parameter is false'])).toContain(
      'already exists in the tenant',
    );
  });

  it('says a password_hash pattern error means bcrypt cost 10 only', () => {
    expect(hintFor(['PATTERN'], ['password_hash: String does not match pattern'])).toContain('cost 10 only');
  });

  it('says retrying is safe after MFA_FACTORS_FAILED', () => {
    expect(hintFor(['MFA_FACTORS_FAILED'], ['Unable to import factors'])).toContain(
      'retrying this user is safe',
    );
  });

  it('has a word for the z-schema codes Auth0 really sends', () => {
    for (const code of [
      'INVALID_FORMAT',
      'OBJECT_MISSING_REQUIRED_PROPERTY',
      'OBJECT_ADDITIONAL_PROPERTIES',
      'NOT_PASSED',
    ])
      expect(hintFor([code])).not.toContain('the dry run checks most of these before sending');
  });

  it('gives a general hint for a code it does not know, never one of Object.prototype', () => {
    expect(hintFor(['constructor'])).toContain('Fix the value the message names');
  });
});
