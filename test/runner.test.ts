import * as actionsCore from '@actions/core';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as runner from '../src/runner.js';

type Core = Pick<
  typeof runner,
  | 'info'
  | 'notice'
  | 'warning'
  | 'error'
  | 'setSecret'
  | 'startGroup'
  | 'endGroup'
  | 'group'
  | 'setFailed'
  | 'setOutput'
>;

/** What `work` writes to stdout. */
async function printed(work: () => unknown): Promise<string> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const saved = { ...process.env };
const exitCode = process.exitCode;
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = exitCode;
});

const AWKWARD = 'a % b\r\nc: d, e';
const ANNOTATION = { file: 'users/a,b:c.json', startLine: 3, startColumn: 7, title: 'x%y' };

const SCRIPTS: Record<string, (core: Core) => unknown> = {
  info: (core) => core.info(AWKWARD),
  'notice without a place': (core) => core.notice(AWKWARD),
  'notice with a place': (core) => core.notice(AWKWARD, ANNOTATION),
  'warning without a place': (core) => core.warning(AWKWARD),
  'warning with a place': (core) => core.warning(AWKWARD, ANNOTATION),
  'error with a place': (core) => core.error(AWKWARD, ANNOTATION),
  'error with an empty place': (core) => core.error(AWKWARD, {}),
  'error with a place of no values': (core) => core.error(AWKWARD, { file: undefined }),
  'a secret': (core) => core.setSecret('s3cr%t\nline'),
  groups: (core) => core.group('Validate users files', async () => core.info('inside')),
  'a group by hand': (core) => {
    core.startGroup(AWKWARD);
    core.endGroup();
  },
  setFailed: (core) => core.setFailed(AWKWARD),
  'an output without GITHUB_OUTPUT': (core) => core.setOutput('job-ids', ['job_1', 'job_2']),
};

describe('runner commands', () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(`prints what @actions/core prints: ${name}`, async () => {
      delete process.env.GITHUB_OUTPUT;
      const ours = await printed(() => script(runner));
      const oursExit = process.exitCode;
      process.exitCode = exitCode;
      const theirs = await printed(() => script(actionsCore));
      expect(ours).toBe(theirs);
      expect(oursExit).toBe(process.exitCode);
    });
  }

  it('writes outputs to GITHUB_OUTPUT as @actions/core does, each between its own delimiter', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'runner-'));
    const outputs = async (core: Core) => {
      const file = path.join(directory, `${core === runner ? 'ours' : 'theirs'}`);
      await writeFile(file, '');
      process.env.GITHUB_OUTPUT = file;
      core.setOutput('total', 3);
      core.setOutput('failed-users-file', '/tmp/x/failed-users.json');
      core.setOutput('multi', 'line one\nline two');
      return (await readFile(file, 'utf8')).replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER');
    };
    expect(await outputs(runner)).toBe(await outputs(actionsCore));
    expect(await outputs(runner)).toContain('multi<<DELIMITER\nline one\nline two\nDELIMITER\n');
  });

  it('reads inputs as @actions/core does: spaces to underscores, upper case, trimmed', () => {
    process.env['INPUT_USERS-FILE'] = '  users.json \n';
    process.env.INPUT_MY_INPUT = 'x';
    for (const name of ['users-file', 'my input', 'absent']) {
      expect(runner.getInput(name)).toBe(actionsCore.getInput(name));
    }
    expect(runner.getInput('users-file')).toBe('users.json');
  });

  it('appends the summary to GITHUB_STEP_SUMMARY and refuses without one', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'runner-')), 'summary');
    await writeFile(file, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await runner.summary.addRaw('## Title').addRaw('\n\nbody\n').write();
    await runner.summary.addRaw('again\n').write();
    expect(await readFile(file, 'utf8')).toBe('before\n## Title\n\nbody\nagain\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(runner.summary.addRaw('x').write()).rejects.toThrow(/GITHUB_STEP_SUMMARY/);
  });
});
