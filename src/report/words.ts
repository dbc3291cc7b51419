/** Counts, plurals, lists and commit ids as every report says them: one way, in one place. */

// Made on first use of a number that needs it: building it loads ICU data, about 10 ms of every
// start-up (a 1-user dry run's summary has no number past 999).
let grouped: Intl.NumberFormat | undefined;

/** 1234567 → "1,234,567". */
export function number(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1000) return String(value);
  return (grouped ??= new Intl.NumberFormat('en-US')).format(value);
}

/** "1 user", "2 users", "1,000 users"; `pluralForm` for irregular words ("1 person", "2 people"). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${number(count)} ${count === 1 ? singular : pluralForm}`;
}

/** "is" or "are", "was" or "were": the verb that agrees with a count. */
export function agree(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** A commit as prose names it: the first 7 characters of a full SHA; any other ref as it is. */
export function shortSha(ref: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(ref) ? ref.slice(0, 7) : ref;
}

/** Ends a sentence with a full stop unless it already ends with punctuation. */
export function sentence(value: string): string {
  const trimmed = value.trim();
  return /[.!?…:]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
