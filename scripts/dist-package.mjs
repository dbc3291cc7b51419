// ncc emits ES module syntax; this marks dist/ as ESM for Node regardless of where it is copied.
import { writeFileSync } from 'node:fs';

writeFileSync(
  new URL('../dist/package.json', import.meta.url),
  JSON.stringify({ type: 'module' }, null, 2) + '\n',
);
