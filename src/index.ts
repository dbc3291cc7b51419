import * as core from './runner.js';
import { run } from './main.js';

// The action declares node24; run by hand on an older Node it would fail with an obscure error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  core.setFailed(
    `auth0-user-import needs Node.js 24 or later (runs.using: node24); this is Node.js ${process.versions.node}.`,
  );
} else {
  await run();
}
