/** The access file: JSON or YAML, each problem at file:line:col, held to the JSON Schema editors use. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseAccessFile } from '../../src/access/file.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs/access-file.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true }).compile(schema);

function problemsOf(text: string) {
  return parseAccessFile(text, 'access.yml').problems.map(
    (problem) => `${problem.line}:${problem.column} ${problem.message}`,
  );
}

describe('parseAccessFile', () => {
  it('reads the example, which the JSON Schema accepts too', () => {
    const text = readFileSync(path.join(ROOT, 'examples/access.yml'), 'utf8');
    expect(validate(parse(text))).toBe(true);
    const { access, problems } = parseAccessFile(text, 'examples/access.yml');
    expect(problems).toEqual([]);
    expect(access?.roles.map((role) => [role.name, role.holders.map((holder) => holder.kind)])).toEqual([
      ['admin', ['email']],
      ['support', ['email', 'user_id']],
    ]);
    expect(access?.organizations[0]?.members.map((member) => member.roles?.map((role) => role.name))).toEqual(
      [undefined, ['billing']],
    );
  });

  it('reads JSON with the same places', () => {
    const json = '{\n  "roles": {\n    "admin": ["ada@example.com", 42]\n  }\n}\n';
    expect(problemsOf(json)).toEqual(['3:34 "42" is neither an email nor a user_id']);
  });

  it('tells an empty list (nobody) from a key left out (not managed)', () => {
    const { access } = parseAccessFile('roles:\n  admin: []\n', 'a.yml');
    expect(access?.roles).toEqual([{ name: 'admin', at: { line: 2, column: 3 }, holders: [] }]);
    expect(access?.organizations).toEqual([]);
    expect(problemsOf('roles:\n  admin:\n')).toEqual(['2:9 role admin must be a list']);
  });

  it('refuses a role named twice, at the second', () => {
    expect(problemsOf('roles:\n  admin: []\n  admin: []\n')).toEqual([
      '3:3 a duplicate key: each role, organization and person is named once',
    ]);
  });

  it('refuses a member named twice in one organization, whatever the case', () => {
    expect(
      problemsOf(
        'organizations:\n  acme:\n    members:\n      - a@example.com\n      - user: A@example.com\n',
      ),
    ).toEqual(['5:15 A@example.com is named twice in organization acme']);
  });

  it("holds a person to Auth0's 50 roles, and a member to 50 organization roles", () => {
    const roles = Array.from({ length: 51 }, (_, i) => `  r${i}: [a@example.com]`).join('\n');
    expect(problemsOf(`roles:\n${roles}\n`)).toEqual([
      '2:8 a@example.com would hold 51 roles; Auth0 allows 50 per user',
    ]);
    const memberRoles = Array.from({ length: 51 }, (_, i) => `r${i}`).join(', ');
    const organization = `organizations:\n  acme:\n    members:\n      - user: a@example.com\n        roles: [${memberRoles}]\n`;
    expect(problemsOf(organization)).toEqual([
      '4:15 a@example.com would hold 51 roles in acme; Auth0 allows 50 per organization member',
    ]);
    expect(validate(parse(organization))).toBe(false);
  });

  it('names unknown keys and syntax errors where they are', () => {
    expect(problemsOf('role:\n  admin: []\n')).toEqual(['1:1 unknown key; expected roles or organizations']);
    expect(problemsOf('roles: [\n')[0]).toMatch(/^2:1 /);
  });
});
