import { setFlagsFromString } from 'node:v8';
import * as core from './runner.js';
import { run } from './main.js';

// V8 doubles its young generation whenever what survives it adds up to its size, up to 64 MB. A
// large users file keeps a small record per user, enough to grow it all the way for garbage that
// a small one collects as well: kept at its first size, a 100,000-user dry run peaks about 35 MB
// lower and runs no slower. (Read at each resize, so setting it now takes effect.)
setFlagsFromString('--semi-space-growth-factor=1');

// The action declares node24; run by hand on an older Node it would fail with an obscure error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  core.setFailed(
    `auth0-user-import needs Node.js 24 or later (runs.using: node24); this is Node.js ${process.versions.node}.`,
  );
} else {
  await run();
}
