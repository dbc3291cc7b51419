// Baseline: what the least a validator can do, read the users file and JSON.parse it.
// `node bench/baselines/parse.mjs <file>` prints the number of users.
import { readFileSync } from 'node:fs';

const users = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(users.length);
