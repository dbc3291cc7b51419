/**
 * Files that are not what they claim: other encodings, binary, too large to read, outside the
 * workspace by symlink or `..`, or thousands of them. Each is refused before any request.
 */
import { mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readUsersFile } from '../../src/users/read.js';
import { runAction } from '../support/action.js';
import { expectRefused, loggedProblems, workspaceWith } from './refused.js';

const VALID = '[\n  { "email": "ada@example.com", "name": "Ada" }\n]\n';

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return bytes;
}

describe.concurrent('files in other encodings, and binary files', () => {
  const files: Record<string, { bytes: Buffer; problem?: RegExp; at?: string }> = {
    'utf16le-bom.json': {
      bytes: Buffer.from(`\uFEFF${VALID}`, 'utf16le'),
      problem: /The file is UTF-16 encoded; it must be UTF-8/,
      at: '1:1',
    },
    'utf16be-bom.json': {
      bytes: utf16be(`\uFEFF${VALID}`),
      problem: /The file is UTF-16 encoded; it must be UTF-8/,
      at: '1:1',
    },
    'utf16le.json': {
      bytes: Buffer.from(VALID, 'utf16le'),
      problem: /holds NUL bytes: it is binary or UTF-16/,
      at: '1:2',
    },
    'png.json': {
      bytes: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
      // Its first NUL comes after "\x89PNG\r\n\x1a\n": at the start of the third line.
      problem: /holds NUL bytes: it is binary or UTF-16, not UTF-8 JSON/,
      at: '3:1',
    },
    'jpeg-start.json': {
      bytes: Buffer.from('ffd8ffe04a464946', 'hex'),
      problem: /not valid UTF-8: byte 0xff at offset 0/,
      at: '1:1',
    },
    'latin1.json': {
      bytes: Buffer.from('[\n  { "email": "caf\xe9@example.com" }\n]\n', 'latin1'),
      problem: /not valid UTF-8: byte 0xe9 at offset 19/,
      at: '2:18',
    },
    'cesu8-surrogate.json': {
      // U+D800 written as if it were a character (CESU-8 / WTF-8): not UTF-8.
      bytes: Buffer.concat([
        Buffer.from('[{ "email": "a'),
        Buffer.from('eda080', 'hex'),
        Buffer.from('@x.io" }]'),
      ]),
      problem: /not valid UTF-8: byte 0xed at offset 14/,
      at: '1:15',
    },
    'overlong.json': {
      bytes: Buffer.concat([
        Buffer.from('[\n{ "email": "a'),
        Buffer.from('c0af', 'hex'),
        Buffer.from('@x.io" }]'),
      ]),
      problem: /not valid UTF-8: byte 0xc0 at offset 15/,
      at: '2:14',
    },
    'utf8-bom.json': { bytes: Buffer.from(`\uFEFF${VALID}`.replace('ada@', 'bom@')) },
  };

  it('names the encoding problem of each file at its place, and accepts UTF-8 with a BOM', async () => {
    const run = await expectRefused(
      await workspaceWith(
        Object.fromEntries(Object.entries(files).map(([name, file]) => [`in/${name}`, file.bytes])),
      ),
      'in/*.json',
    );
    const problems = loggedProblems(run);
    for (const [name, file] of Object.entries(files)) {
      const own = problems.filter((problem) => problem.file === `in/${name}`);
      if (!file.problem) {
        expect(own, name).toEqual([]);
        continue;
      }
      expect(own, name).toHaveLength(1);
      expect(own[0]?.text, name).toMatch(file.problem);
      expect(`${own[0]?.line}:${own[0]?.column}`, name).toBe(file.at);
    }
  });
});

describe.concurrent('a file larger than the read limit', () => {
  /** A sparse file: its size says a terabyte, and it takes no disk or memory. */
  async function hugeWorkspace(): Promise<string> {
    const workspace = await workspaceWith({});
    await writeFile(path.join(workspace, 'huge.json'), '[');
    await truncate(path.join(workspace, 'huge.json'), 2 ** 40);
    return workspace;
  }

  it('is refused from its size alone, without reading it (in-process)', async () => {
    const workspace = await hugeWorkspace();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const read = await readUsersFile(workspace, 'huge.json');
    // Reading a terabyte would take hours (and Node refuses to read more than 2 GiB at once).
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(read).toEqual({
      file: 'huge.json',
      line: 1,
      column: 1,
      path: '',
      message: `The file is too large: ${2 ** 40} bytes, at most ${MAX_FILE_BYTES} are read`,
      hint: 'Split it into several files; users-file takes a glob.',
    });
    await rm(workspace, { recursive: true });
  });

  it('is refused by the action before any request', async () => {
    const workspace = await hugeWorkspace();
    const run = await expectRefused(workspace, 'huge.json');
    expect(run.stdout).toContain(
      `huge.json:1:1: The file is too large: ${2 ** 40} bytes, at most 268435456 are read`,
    );
    await rm(workspace, { recursive: true });
  });
});

describe.concurrent('paths that leave the workspace', () => {
  /** A workspace, and beside it a directory holding a valid users file that is not the workspace's. */
  async function withOutside(): Promise<{ workspace: string; outside: string }> {
    const root = await workspaceWith({ 'outside/users.json': VALID, 'workspace/README.md': 'repo' });
    return { workspace: path.join(root, 'workspace'), outside: path.join(root, 'outside') };
  }

  it.for([
    ['a relative path up and out', '../outside/users.json'],
    ['a path that climbs out through a subfolder', 'sub/../../outside/users.json'],
    ['a glob up and out', '../*/users.json'],
  ] as const)('refuses %s', async ([, pattern]) => {
    const { workspace } = await withOutside();
    await mkdir(path.join(workspace, 'sub'));
    const run = await expectRefused(workspace, pattern);
    expect(run.stdout).toMatch(
      /::error::❌ users-file: "\.\.\/outside\/users\.json" resolves to .*, outside the workspace/,
    );
  });

  it('refuses an absolute path outside the workspace', async () => {
    const { workspace, outside } = await withOutside();
    const run = await expectRefused(workspace, path.join(outside, 'users.json'));
    expect(run.stdout).toMatch(/::error::❌ users-file: ".*" is outside the workspace/);
  });

  it('refuses a symlinked file that points outside', async () => {
    const { workspace, outside } = await withOutside();
    await symlink(path.join(outside, 'users.json'), path.join(workspace, 'users.json'));
    const run = await expectRefused(workspace, 'users.json');
    expect(run.stdout).toMatch(/::error::❌ users-file: "users\.json" resolves to .*, outside the workspace/);
  });

  it('refuses a symlinked folder that points outside, matched by a glob', async () => {
    const { workspace, outside } = await withOutside();
    await symlink(outside, path.join(workspace, 'data'));
    const run = await expectRefused(workspace, 'data/*.json');
    expect(run.stdout).toMatch(
      /::error::❌ users-file: "data\/users\.json" resolves to .*, outside the workspace/,
    );
  });

  it('refuses a dangling symlink, naming the input', async () => {
    const { workspace } = await withOutside();
    await symlink(path.join(workspace, 'gone.json'), path.join(workspace, 'users.json'));
    const run = await expectRefused(workspace, 'users.json');
    expect(run.stdout).toMatch(
      /::error::❌ users-file: "users\.json" (cannot be followed \(ENOENT\)|matches no file)/,
    );
  });

  it('refuses a symlink loop instead of hanging, naming the input', async () => {
    const { workspace } = await withOutside();
    await symlink(path.join(workspace, 'b.json'), path.join(workspace, 'a.json'));
    await symlink(path.join(workspace, 'a.json'), path.join(workspace, 'b.json'));
    const run = await expectRefused(workspace, 'a.json');
    expect(run.stdout).toContain('::error::❌ users-file: "a.json" cannot be followed (ELOOP)');
  });
});

describe.concurrent('a glob matching thousands of files', () => {
  const COUNT = 3_000;

  async function thousands(): Promise<string> {
    const files = Object.fromEntries(
      Array.from({ length: COUNT }, (_, i) => [
        `users/${String(i).padStart(4, '0')}.json`,
        `[{ "email": "user${i}@example.com" }]`,
      ]),
    );
    return workspaceWith(files);
  }

  it('validates 3,000 files as one run and plans them together (dry run)', async () => {
    const run = await runAction({
      workspace: await thousands(),
      inputs: { 'users-file': 'users/*.json', 'dry-run': 'true' },
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: String(COUNT), chunks: '1' });
    expect(run.summary).toContain(
      `✅ ${COUNT.toLocaleString('en-US')} users in ${COUNT.toLocaleString('en-US')} files are valid`,
    );
    expect(run.summary).toContain(`…and ${COUNT - 100} more (all are listed in the step log).`);
    expect(run.stdout).toContain('users/2999.json: 1 user');
    // GitHub refuses a job summary over 1 MiB.
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
  });

  it('refuses them all, sending nothing, when one repeats another file’s user', async () => {
    const workspace = await thousands();
    await writeFile(path.join(workspace, 'users/2999.json'), '[{ "email": "USER7@example.com" }]');
    const run = await expectRefused(workspace, 'users/*.json');
    expect(loggedProblems(run)).toEqual([
      expect.objectContaining({
        file: 'users/2999.json',
        line: 1,
        column: 13,
        text: expect.stringContaining(
          'Duplicate email "USER7@example.com": the same user is also at users/0007.json:1',
        ),
      }),
    ]);
  });
});
