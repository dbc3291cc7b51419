// Baseline: the validator a user would write instead of this action. JSON.parse the file, then
// every user through ajv compiled from Auth0's official JSON schema of a user, all errors kept.
// `node bench/baselines/ajv.mjs <file>` prints the number of users; exits 1 if one is invalid.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';

const ajv = new Ajv({ allErrors: true });
formats.default(ajv);
const validate = ajv.compile(
  JSON.parse(readFileSync(new URL('../auth0-user.schema.json', import.meta.url), 'utf8')),
);
const users = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let invalid = 0;
for (const user of users) if (!validate(user)) invalid++;
console.log(users.length);
if (invalid > 0) {
  console.error(`${invalid} users invalid, e.g. ${JSON.stringify(validate.errors)}`);
  process.exitCode = 1;
}
