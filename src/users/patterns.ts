/** The formats of the user record that are patterns, shared by UserSchema and its valid-user path. */

/** Auth0's phone numbers: E.164, "+" and 1 to 15 digits. */
export const E164 = /^\+[0-9]{1,15}$/;
export const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;
/** A TOTP secret: base32 without padding. */
export const BASE32 = /^[A-Z2-7]+$/;
