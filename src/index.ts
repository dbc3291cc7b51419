import { setFlagsFromString } from 'node:v8';
import * as core from '@actions/core';
import { run } from './main.js';

// V8 doubles its young generation whenever what survives it adds up to its size, up to 64 MB. A
// large users file keeps a little per user (its row, its email): enough to grow it all the way, for
// garbage that a small one collects as well. Kept at its first size, a 100,000-user dry run peaks
// about 35 MB lower and runs no slower; a 300,000-user one peaks 150 MB lower and runs faster.
// (Read at each resize, so setting it now takes effect.)
setFlagsFromString('--semi-space-growth-factor=1');
// After each full collection V8 lets the old generation grow by up to 4× what survived before it
// collects again; a dry run's survivors (a little per user) grow steadily, so the garbage between
// collections is what sets the peak. Growing by 2× keeps a 100,000-user dry run about 15 MB lower
// (npm run bench: peak RSS / file size) at no measurable cost in time at 100,000 or 300,000 users.
setFlagsFromString('--heap-growing-percent=100');

// The action declares node24; run by hand on an older Node it would fail with an obscure error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  core.setFailed(
    `auth0-user-import needs Node.js 24 or later (runs.using: node24); this is Node.js ${process.versions.node}.`,
  );
} else {
  await run();
}
