// Auth0 validates `email` with z-schema, whose `email` format is validator.js's
// `isEmail(value, { require_tld: true })` with every other option at its default. This is that check,
// rewritten on the built-ins; what it leaves out (display names, IP domains, blacklists) those defaults
// switch off anyway.

/** validator.js's `emailUserUtf8Part`: one dot-separated piece of an unquoted local part. */
const LOCAL_PIECE = /^[a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+$/i;

/** validator.js's `quotedEmailUserUtf8`: the inside of a quoted local part. */
const QUOTED_LOCAL =
  // eslint-disable-next-line no-control-regex
  /^([\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]|(\\[\x01-\x09\x0b\x0c\x0d-\x7f\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]))*$/i;

/** A top-level domain: two letters or more (no digits), or an IDN's `xn--` form. */
const TLD = /^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i;
const LABEL = /^[a-z\u00a1-\uffff0-9-]+$/i;
const FULL_WIDTH = /[\uff01-\uff5e]/;

const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_BYTES = 64;
const MAX_LABEL_LENGTH = 63;

/** Whether z-schema's `email` format (validator.js `isEmail` with `require_tld`) accepts `value`. */
export function isEmail(value: string): boolean {
  if (value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at < 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (Buffer.byteLength(local) > MAX_LOCAL_BYTES || Buffer.byteLength(domain) > MAX_EMAIL_LENGTH)
    return false;
  if (!isDomainName(domain)) return false;
  if (local.startsWith('"')) return QUOTED_LOCAL.test(local.slice(1, -1));
  return local.split('.').every((piece) => LOCAL_PIECE.test(piece));
}

/** validator.js's `isFQDN` with `require_tld`, no trailing dot, no underscores, no numeric TLD. */
function isDomainName(domain: string): boolean {
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  if (labels.length < 2 || !TLD.test(tld)) return false;
  return labels.every(
    (label) =>
      label.length <= MAX_LABEL_LENGTH &&
      LABEL.test(label) &&
      !FULL_WIDTH.test(label) &&
      !label.startsWith('-') &&
      !label.endsWith('-'),
  );
}
