/** Problems read in a glance: a short message, and what to do said apart from it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRun } from '../../src/users/validate.js';
import { annotationText, problemLine, renderProblems } from '../../src/report/validation.js';

const FILE = 'examples/users-with-problems.json';
const problems = validateRun([
  { file: FILE, text: readFileSync(path.resolve(import.meta.dirname, '../..', FILE), 'utf8') },
]).problems;

describe('the problems of examples/users-with-problems.json (one of each common mistake)', () => {
  it('are there', () => {
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });

  it.each(problems.map((problem) => [problemLine(problem), problem] as const))(
    'says %s in at most 120 characters',
    (_, problem) => {
      expect(problem.message.length).toBeLessThanOrEqual(120);
    },
  );

  it('puts what to do on its own line of the annotation', () => {
    const withHint = problems.find((problem) => problem.hint)!;
    expect(annotationText(withHint)).toMatch(/^[^\n]+\nWhat to do: [^\n]+$/);
  });

  it('lists them in the summary, each with what to do, never as a wide table', () => {
    const markdown = renderProblems(problems);
    expect(markdown).not.toContain('| Where |');
    expect(markdown.match(/^- \*\*examples\/users-with-problems\.json:\d+:\d+\*\*/gm)).toHaveLength(
      problems.length,
    );
  });
});
