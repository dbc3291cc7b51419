/**
 * The import's request body is written straight into one buffer as the users are read again. It
 * must be, to the byte, what form-data (the library Auth0's own SDKs use, kept here as the oracle)
 * makes of the same users part and fields with the same boundary, and exactly as large as planned.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import FormData from 'form-data';
import { describe, expect, it } from 'vitest';
import { envelopeBytes, importBody, type ImportFields } from '../../src/auth0/import-form.js';
import { buildChunks, type Chunk } from '../../src/users/chunks.js';
import { isUnreadable, readUsersFile, type UsersFileText } from '../../src/users/read.js';
import { validateRun } from '../../src/users/validate.js';
import { parseImportForm } from '../emulator/import-form.js';

const FIELDS: ImportFields = {
  connectionId: 'con_AbCdEf0123456789',
  upsert: true,
  externalId: 'owner/repo@0123456#3',
  sendCompletionEmail: false,
};
const BOUNDARY = `${'-'.repeat(26)}012345678901234567890123`;

/** Users with what compaction must get right: escapes, quotes, whitespace in strings, non-ASCII. */
function users(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `user.${i}@example.com`,
    name: i % 3 === 0 ? `Zoë "Z \\ Đorđe 李雷 😀  ${i}` : i % 3 === 1 ? `C:\\ "q"  ${i}` : `User ${i}`,
    user_metadata: { note: ' spaced \t out \n ', nested: [1, { deep: [true, null] }], i },
  }));
}

function formDataBody(usersPart: Buffer, fields: ImportFields): Buffer {
  const form = new FormData();
  form.setBoundary(BOUNDARY);
  form.append('users', usersPart, { filename: 'users.json', contentType: 'application/json' });
  form.append('connection_id', fields.connectionId);
  form.append('upsert', String(fields.upsert));
  form.append('external_id', fields.externalId);
  form.append('send_completion_email', String(fields.sendCompletionEmail));
  return form.getBuffer();
}

async function onDisk(text: string): Promise<UsersFileText> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'import-body-'));
  await writeFile(path.join(workspace, 'users.json'), text);
  const read = await readUsersFile(workspace, 'users.json');
  if (isUnreadable(read)) throw new Error(read.message);
  return read;
}

function oneChunk(read: UsersFileText, pick: (i: number) => boolean = () => true): Chunk {
  const valid = [...validateRun([read]).users].filter((_, i) => pick(i));
  return buildChunks(valid, [{ first: 0, count: valid.length, bytes: 0 }], 'x')[0]!;
}

describe('importBody', () => {
  const records = users(9_000);
  const pretty = JSON.stringify(records, null, 2);

  for (const [where, read] of [
    ['held in memory', async (): Promise<UsersFileText> => ({ file: 'users.json', text: pretty })],
    ['read again from disk', async () => onDisk(pretty)],
  ] as const) {
    it(`is form-data's body to the byte for users ${where}, as large as planned`, async () => {
      const file = await read();
      expect(file.disk !== undefined).toBe(where === 'read again from disk');
      // Every other user, and then a run with a gap too wide to read across.
      for (const pick of [() => true, (i: number) => i % 2 === 0, (i: number) => i < 10 || i > 8_000]) {
        const chunk = oneChunk(file, pick);
        const expected = JSON.stringify(records.filter((_, i) => pick(i)));
        const body = importBody(chunk, FIELDS, BOUNDARY);
        expect(body.contentType).toBe(`multipart/form-data; boundary=${BOUNDARY}`);
        expect(body.data.equals(formDataBody(Buffer.from(expected), FIELDS))).toBe(true);
        expect(body.data.length).toBe(envelopeBytes(FIELDS) + chunk.bytes);
        // And a multipart parser reads the users back.
        const form = await parseImportForm(body.data, body.contentType);
        expect(form?.usersBytes?.toString()).toBe(expected);
      }
    });
  }

  it("is made with a fresh boundary each time, of form-data's kind", () => {
    const chunk = oneChunk({ file: 'users.json', text: JSON.stringify(users(2)) });
    const boundaries = new Set(
      Array.from({ length: 20 }, () => importBody(chunk, FIELDS).contentType.split('boundary=')[1]),
    );
    expect(boundaries.size).toBe(20);
    for (const boundary of boundaries) expect(boundary).toMatch(/^-{26}\d{24}$/);
  });

  it('refuses to send users whose file changed after they were validated', async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'import-body-'));
    await writeFile(path.join(workspace, 'users.json'), pretty);
    const read = await readUsersFile(workspace, 'users.json');
    if (isUnreadable(read)) throw new Error(read.message);
    const chunk = oneChunk(read);
    await writeFile(path.join(workspace, 'users.json'), pretty.replace('"User 2"', '"User  2"'));
    expect(() => importBody(chunk, FIELDS)).toThrow(
      /users\.json:\d+ is not what was validated: the file changed/,
    );
  });
});
