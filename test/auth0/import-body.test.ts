/**
 * The import's request body is form-data's, with the users part written as the users are read
 * again. It must be, to the byte, the multipart layout of RFC 7578 written out here by hand (an
 * oracle that shares no code with form-data), exactly as large as planned, and read back by an
 * independent multipart parser (undici's, through the emulator's).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/auth0/http.js';
import { envelopeBytes, importBody, type ImportFields } from '../../src/auth0/import-form.js';
import { createJob } from '../../src/auth0/jobs.js';
import { DEFAULT_TIMING, systemClock } from '../../src/auth0/timing.js';
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

/** Each part: `--` boundary CRLF, its headers, CRLF CRLF, its value, CRLF; then `--` boundary `--` CRLF. */
function multipartBody(usersPart: Buffer, fields: ImportFields, boundary = BOUNDARY): Buffer {
  const text = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="users"; filename="users.json"\r\nContent-Type: application/json\r\n\r\n`,
    ),
    usersPart,
    Buffer.from(
      `\r\n${text('connection_id', fields.connectionId)}${text('upsert', String(fields.upsert))}${text('external_id', fields.externalId)}${text('send_completion_email', String(fields.sendCompletionEmail))}--${boundary}--\r\n`,
    ),
  ]);
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
    it(`is the multipart body to the byte for users ${where}, as large as planned`, async () => {
      const file = await read();
      expect(file.disk !== undefined).toBe(where === 'read again from disk');
      // Every other user, and then a run with a gap too wide to read across.
      for (const pick of [() => true, (i: number) => i % 2 === 0, (i: number) => i < 10 || i > 8_000]) {
        const chunk = oneChunk(file, pick);
        const expected = JSON.stringify(records.filter((_, i) => pick(i)));
        const body = importBody(chunk, FIELDS, BOUNDARY);
        expect(body.contentType).toBe(`multipart/form-data; boundary=${BOUNDARY}`);
        expect(body.data.equals(multipartBody(Buffer.from(expected), FIELDS))).toBe(true);
        expect(body.data.length).toBe(envelopeBytes(FIELDS) + chunk.bytes);
        // And a multipart parser reads the users back.
        const form = await parseImportForm(body.data, body.contentType);
        expect(form?.usersBytes?.toString()).toBe(expected);
      }
    });
  }

  it("is made with a fresh boundary each time, of form-data's kind, the one its body uses", () => {
    const records = users(2);
    const chunk = oneChunk({ file: 'users.json', text: JSON.stringify(records) });
    const boundaries = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const body = importBody(chunk, FIELDS);
      const boundary = body.contentType.split('boundary=')[1]!;
      expect(boundary).toMatch(/^-{26}[0-9a-f]{24}$/);
      expect(body.data.equals(multipartBody(Buffer.from(JSON.stringify(records)), FIELDS, boundary))).toBe(
        true,
      );
      boundaries.add(boundary);
    }
    expect(boundaries.size).toBe(20);
  });

  it('has an envelope of exactly the bytes the multipart layout adds, for any fields', () => {
    for (const fields of [
      FIELDS,
      {
        connectionId: 'con_0000000000000000',
        upsert: false,
        externalId: 'é/ü@1#12',
        sendCompletionEmail: true,
      },
    ]) {
      expect(envelopeBytes(fields)).toBe(multipartBody(Buffer.alloc(0), fields).length);
    }
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

  it('goes over the wire as one body of its exact length, its boundary in Content-Type', async () => {
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(parts) });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'job_1', status: 'pending', type: 'users_import' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const api = new ApiClient({
        origin: `http://127.0.0.1:${port}`,
        clock: systemClock,
        timing: DEFAULT_TIMING,
        log: () => {},
      });
      api.useTokens({ token: async () => 'token', renewAfterRefusal: () => false });
      const records = users(50);
      const chunk = oneChunk({ file: 'users.json', text: JSON.stringify(records) });
      const { connectionId, upsert, sendCompletionEmail } = FIELDS;
      const created = await createJob(api, chunk, { connectionId, upsert, sendCompletionEmail });
      expect(created.kind).toBe('created');

      const [{ headers, body }] = received as [(typeof received)[0]];
      const boundary = /^multipart\/form-data; boundary=(-{26}[0-9a-f]{24})$/.exec(
        headers['content-type'] ?? '',
      )?.[1];
      expect(boundary).toBeDefined();
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(headers['content-length']).toBe(String(body.length));
      const fields = { ...FIELDS, externalId: chunk.externalId };
      expect(body.length).toBe(envelopeBytes(fields) + chunk.bytes);
      expect(body.equals(multipartBody(Buffer.from(JSON.stringify(records)), fields, boundary))).toBe(true);
    } finally {
      server.close();
    }
  });
});
