/**
 * Email addresses as Auth0 accepts them. Auth0 validates users with z-schema, whose `email`
 * format is validator.js's `isEmail(value, { require_tld: true })` with every other option at its
 * default. This is a port of that function (validator 13.15: isEmail, isFQDN, isByteLength), step
 * for step, so that a dry run refuses what the import would; each step also says what is wrong.
 *
 * The defaults that shape it: no display name (`Ada <ada@example.com>` is refused), UTF-8 allowed
 * in the local part, no `_` in the domain, no IP address as the domain, a top-level domain
 * required, the lengths checked. Test against validator.js itself: test/users/email-format.test.ts.
 */

export type EmailFault =
  /** Over 254 UTF-16 code units in all. */
  | { kind: 'too-long'; length: number }
  /** Over 64 bytes of UTF-8 before the last "@". */
  | { kind: 'local-part-too-long'; bytes: number }
  /** Over 254 bytes of UTF-8 after the last "@". */
  | { kind: 'domain-too-long'; bytes: number }
  /** Anything else; `reason` says what to change, without quoting the address. */
  | { kind: 'format'; reason: string };

export const EMAIL_MAX_LENGTH = 254;
export const EMAIL_LOCAL_PART_MAX_BYTES = 64;
const DOMAIN_MAX_BYTES = 254;
const LABEL_MAX_LENGTH = 63;

// validator.js's own character classes. Each pattern is one class under one quantifier, or an
// alternation whose branches start with different characters: linear time on any input.
const LOCAL_CHARACTER = "a-z\\d!#$%&'*+\\-/=?^_`{|}~\\u00A1-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF";
/** Dot-separated parts, none empty: validator splits on "." and tests each part. */
const DOT_ATOM = new RegExp(`^[${LOCAL_CHARACTER}]+(?:\\.[${LOCAL_CHARACTER}]+)*$`, 'i');
const LOCAL_CHARACTERS = new RegExp(`^[.${LOCAL_CHARACTER}]*$`, 'i');
const QUOTED_CONTENT =
  // eslint-disable-next-line no-control-regex -- validator.js allows these control characters inside quotes
  /^(?:[\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]|\\[\x01-\x09\x0b\x0c\x0d-\x7f\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])*$/i;
const TOP_LEVEL_DOMAIN =
  /^(?:[a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i;
const WHITESPACE = /\s/;
/** isFQDN's label characters (which include "_" and all of U+00A1–U+FFFF, surrogates too). */
const LABEL_CHARACTERS = /^[a-z_\u00a1-\uffff0-9-]+$/i;
const FULL_WIDTH = /[\uff01-\uff5e]/;
const HYPHEN = 0x2d;
const QUOTE = '"';
const IPV4_OR_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[.*\])$/;

/**
 * The common case in one linear pattern: ASCII atoms before the "@"; after it, labels of letters,
 * digits and inner hyphens, and a top-level domain of letters. Everything it accepts, validator.js
 * accepts too; anything else takes the whole port.
 */
const COMMON_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*\.)+[A-Za-z]{2,}$/;

/** Short enough that no length limit can apply: the pattern alone decides. */
function isCommonAddress(value: string): boolean {
  const at = value.indexOf('@');
  return (
    at > 0 &&
    at <= EMAIL_LOCAL_PART_MAX_BYTES &&
    value.length - at - 1 <= LABEL_MAX_LENGTH &&
    COMMON_ADDRESS.test(value)
  );
}

/** Why Auth0 would refuse `value` as an email address, or undefined when it accepts it. */
export function emailFault(value: string): EmailFault | undefined {
  if (isCommonAddress(value)) return undefined;
  if (value.length > EMAIL_MAX_LENGTH) return { kind: 'too-long', length: value.length };
  const at = value.lastIndexOf('@');
  if (at === -1) return format('it has no "@"');
  // A '>' at the end is never in a top-level domain: refused either way, this says why.
  if (value.endsWith('>') && value.includes('<')) {
    return format('write the address alone, without a name or "<" and ">" around it');
  }
  // validator.js measures both parts with encodeURI, which throws on half a surrogate pair.
  if (!value.isWellFormed()) return format('it holds half of a UTF-16 surrogate pair, which is no character');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const localBytes = utf8Length(local);
  if (localBytes > EMAIL_LOCAL_PART_MAX_BYTES) return { kind: 'local-part-too-long', bytes: localBytes };
  const domainBytes = utf8Length(domain);
  if (domainBytes > DOMAIN_MAX_BYTES) return { kind: 'domain-too-long', bytes: domainBytes };
  const domainReason = domainFault(domain);
  if (domainReason !== undefined) return format(domainReason);
  const localReason = localPartFault(local);
  return localReason === undefined ? undefined : format(localReason);
}

function format(reason: string): EmailFault {
  return { kind: 'format', reason };
}

/** UTF-8 length of a well-formed string, as validator.js's isByteLength counts it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is 2 code units and 4 bytes.
    if (code >= 0x80) bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/** isFQDN(domain, { require_tld: true, allow_underscores: false }), with its other options at their defaults. */
function domainFault(domain: string): string | undefined {
  if (domain === '') return 'nothing comes after the "@"';
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  // An IP address fails the steps below too (a numeric top-level domain, or brackets); this names why.
  if (IPV4_OR_LITERAL.test(domain)) return 'an IP address is not accepted after the "@": use a domain name';
  if (labels.length < 2) return 'the domain has no top-level domain: add one, e.g. ".com"';
  // isFQDN's own refusal of an all-digit top-level domain is in TOP_LEVEL_DOMAIN already: it has
  // no digits outside its "xn" branch.
  if (!TOP_LEVEL_DOMAIN.test(topLevel) || WHITESPACE.test(topLevel)) {
    return topLevel === ''
      ? 'the domain ends with ".": remove the dot'
      : 'the top-level domain (after the last ".") must be 2 or more letters, or an "xn--" name';
  }
  for (const label of labels) {
    if (label === '') return 'the domain has an empty label: remove the extra "."';
    if (label.length > LABEL_MAX_LENGTH) {
      return `a part of the domain between dots is longer than ${LABEL_MAX_LENGTH} characters`;
    }
    if (!LABEL_CHARACTERS.test(label)) {
      return 'the domain may hold only letters, digits, "-" and "." (no spaces or punctuation)';
    }
    if (FULL_WIDTH.test(label)) return 'the domain holds full-width characters: type them as ASCII';
    if (label.charCodeAt(0) === HYPHEN || label.charCodeAt(label.length - 1) === HYPHEN) {
      return 'a part of the domain between dots starts or ends with "-"';
    }
    if (label.includes('_')) return 'the domain may not hold "_"';
  }
  return undefined;
}

/** The local part: quoted (anything printable, escapes allowed) or dot-separated atoms. */
function localPartFault(local: string): string | undefined {
  // validator.js takes it as quoted when it starts and ends with '"', a lone '"' included.
  if (local.startsWith(QUOTE) && local.endsWith(QUOTE)) {
    return QUOTED_CONTENT.test(local.slice(1, -1))
      ? undefined
      : 'the quoted part before the "@" holds a character that must be escaped with "\\" or cannot be used';
  }
  if (DOT_ATOM.test(local)) return undefined;
  if (local === '') return 'nothing comes before the "@"';
  if (!LOCAL_CHARACTERS.test(local)) {
    return 'the part before the "@" holds a character an address may not have there (a space, a comma, a bracket, ...): remove it, or put that part in double quotes';
  }
  if (local.startsWith('.') || local.endsWith('.'))
    return 'the part before the "@" starts or ends with ".": remove it';
  return 'the part before the "@" holds "..": remove one dot';
}
