/** mfa_factors: how many, and one kind per factor. */
import { isJsonObject } from '../json-value.js';
import { problem, type Report } from '../problem.js';

/** Kept out of the schema's array `.max()`, which stops zod short of the object rules. */
const MFA_FACTORS_MAX = 10;
const MFA_FACTOR_KINDS = ['totp', 'phone', 'email'] as const;

export function checkMfaFactors(factors: readonly unknown[], report: Report): void {
  if (factors.length > MFA_FACTORS_MAX) {
    report(problem(['mfa_factors'], `must have at most ${MFA_FACTORS_MAX} items, got ${factors.length}`));
  }
  factors.forEach((factor, index) => {
    if (!isJsonObject(factor)) return;
    const kinds = MFA_FACTOR_KINDS.filter((kind) => factor[kind] !== undefined);
    if (kinds.length === 1) return;
    report(
      problem(
        ['mfa_factors', index],
        `must hold exactly one of totp, phone or email, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
        { hint: kinds.length > 1 ? 'give each factor its own item in mfa_factors' : undefined },
      ),
    );
  });
}
