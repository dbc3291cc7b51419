/** An Auth0 export is refused with the one command that makes it importable, for the file's own name. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjsonConversion } from '../../src/users/locate.js';
import { validateRun } from '../../src/users/validate.js';

const EXPORT = path.resolve(import.meta.dirname, '../../examples/auth0-export.ndjson');

describe('the conversion of an Auth0 export', () => {
  it('writes next to the file, under the name of a users file', () => {
    expect(ndjsonConversion('users/export.ndjson')).toMatch(/ users\/export\.ndjson > users\/export\.json$/);
    expect(ndjsonConversion('users.json')).toMatch(/ users\.json > users\.array\.json$/);
    expect(ndjsonConversion('my users.ndjson')).toMatch(/ 'my users\.ndjson' > 'my users\.json'$/);
  });

  it.skipIf(!existsSync('/usr/bin/jq'))(
    'makes a file that validates without a problem (run by jq)',
    async () => {
      const directory = await mkdtemp(path.join(tmpdir(), 'export-'));
      await copyFile(EXPORT, path.join(directory, 'export.ndjson'));
      execFileSync('sh', ['-c', ndjsonConversion('export.ndjson')], { cwd: directory });
      const text = await readFile(path.join(directory, 'export.json'), 'utf8');
      const result = validateRun([{ file: 'export.json', text }]);
      expect(result.problems).toEqual([]);
      expect(result.users.length).toBeGreaterThan(0);
    },
  );
});
