/**
 * The README, docs/ and the workflows are part of the action's interface: these tests fail when they
 * drift from action.yml. `UPDATE_DOCS=1 npm exec -- vitest run test/docs` rewrites docs/inputs.md's
 * inputs and outputs tables from action.yml.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = path.join(ROOT, 'README.md');
const INPUTS_DOC = path.join(ROOT, 'docs/inputs.md');
const DOCS = path.join(ROOT, 'docs');
const WORKFLOWS = path.join(ROOT, '.github/workflows');

interface ActionMetadata {
  author?: string;
  runs?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
  outputs: Record<string, { description?: unknown }>;
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on?: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group?: unknown; 'cancel-in-progress'?: unknown };
  jobs?: Record<
    string,
    {
      permissions?: unknown;
      concurrency?: { group?: unknown; 'cancel-in-progress'?: unknown };
      steps?: Step[];
    }
  >;
}

const read = (file: string) => readFileSync(file, 'utf8');
const action = parse(read(path.join(ROOT, 'action.yml'))) as ActionMetadata;

// ---------------------------------------------------------------- inputs and outputs tables

type Row = string[];

/** Text as a Markdown table cell shows it: one line, `|` and `*` escaped, `<` not taken for HTML. */
function cell(text: unknown): string {
  return String(text ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/([|*])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const INPUT_HEADER = ['Input', 'Required', 'Default', 'Description'];
const OUTPUT_HEADER = ['Output', 'Description'];

function inputRows(): Row[] {
  return Object.entries(action.inputs).map(([name, input]) => [
    `\`${name}\``,
    input.required === true ? 'yes' : 'no',
    input.default === undefined ? '' : `\`${String(input.default)}\``,
    cell(input.description),
  ]);
}

function outputRows(): Row[] {
  return Object.entries(action.outputs).map(([name, output]) => [`\`${name}\``, cell(output.description)]);
}

function table(header: Row, rows: Row[]): string {
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

function markers(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

/** The rows of the table between `<!-- name:start -->` and `<!-- name:end -->`, header and rule left out. */
function documentedRows(readme: string, name: string): Row[] {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`docs/inputs.md has no "${start}" … "${end}" section`);
  return readme
    .slice(from + start.length, to)
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((text) => text.trim()),
    );
}

async function rewriteTables(readme: string): Promise<string> {
  let text = readme;
  for (const [name, header, rows] of [
    ['inputs', INPUT_HEADER, inputRows()],
    ['outputs', OUTPUT_HEADER, outputRows()],
  ] as const) {
    const [start, end] = markers(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to < from) throw new Error(`docs/inputs.md has no "${start}" … "${end}" section`);
    text = `${text.slice(0, from + start.length)}\n\n${table(header, rows)}\n\n${text.slice(to)}`;
  }
  const options = await resolveConfig(INPUTS_DOC);
  return format(text, { ...options, filepath: INPUTS_DOC });
}

const UPDATE = 'run `UPDATE_DOCS=1 npm exec -- vitest run test/docs` to rewrite the tables from action.yml';

describe('docs/inputs.md tables', () => {
  if (process.env.UPDATE_DOCS) {
    it('are rewritten from action.yml (UPDATE_DOCS)', async () => {
      writeFileSync(INPUTS_DOC, await rewriteTables(read(INPUTS_DOC)));
    });
  }

  it('list every input of action.yml with its required flag and default', () => {
    const documented = documentedRows(read(INPUTS_DOC), 'inputs');
    const expected = inputRows();
    expect(
      documented.map((row) => row.slice(0, 3)),
      `the inputs table differs from action.yml: ${UPDATE}`,
    ).toEqual(expected.map((row) => row.slice(0, 3)));
    expect(documented, `an input's description differs from action.yml: ${UPDATE}`).toEqual(expected);
  });

  it('list every output of action.yml with its description', () => {
    expect(
      documentedRows(read(INPUTS_DOC), 'outputs'),
      `the outputs table differs from action.yml: ${UPDATE}`,
    ).toEqual(outputRows());
  });
});

// ---------------------------------------------------------------- workflows that use the action

/** Our steps must pass only inputs action.yml declares, every required one, and read only its outputs. */
function workflowProblems(where: string, workflow: Workflow, isOurs: (uses: string) => boolean): string[] {
  const inputs = new Set(Object.keys(action.inputs));
  const outputs = new Set(Object.keys(action.outputs));
  const required = Object.keys(action.inputs).filter((name) => action.inputs[name]?.required === true);
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    const ourStepIds = new Set<string>();
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (!step.uses || !isOurs(step.uses)) continue;
      const at = `${where}: job "${jobName}", step ${step.id ? `"${step.id}"` : index + 1}`;
      if (step.id) ourStepIds.add(step.id);
      const given = Object.keys(step.with ?? {});
      for (const name of given) {
        if (!inputs.has(name))
          problems.push(`${at} passes input "${name}", which action.yml does not declare`);
      }
      for (const name of required) {
        if (!given.includes(name)) problems.push(`${at} does not pass the required input "${name}"`);
      }
    }
    for (const [, stepId, output] of JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ourStepIds.has(stepId!) && !outputs.has(output!)) {
        problems.push(
          `${where}: job "${jobName}" reads output "${output}" of step "${stepId}", which action.yml does not declare`,
        );
      }
    }
  }
  return problems;
}

const usesOurAction = (uses: string) => /^[\w.-]+\/auth0-user-import@/.test(uses);
const usesThisCheckout = (uses: string) => uses === './';

/** The ```yaml blocks of the README that use the action: the workflows users copy. */
function readmeWorkflows(): { where: string; workflow: Workflow }[] {
  const readme = read(README);
  return [...readme.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)]
    .filter((match) => /uses:\s*[\w.-]+\/auth0-user-import@/.test(match[1]!))
    .map((match) => ({
      where: `README.md:${readme.slice(0, match.index).split('\n').length}`,
      workflow: parse(match[1]!) as Workflow,
    }));
}

function repositoryWorkflows(): { where: string; workflow: Workflow }[] {
  return readdirSync(WORKFLOWS)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => ({
      where: `.github/workflows/${file}`,
      workflow: parse(read(path.join(WORKFLOWS, file))) as Workflow,
    }));
}

function stepsOf(workflow: Workflow, isOurs: (uses: string) => boolean): Step[] {
  return Object.values(workflow.jobs ?? {}).flatMap((job) =>
    (job.steps ?? []).filter((step) => step.uses !== undefined && isOurs(step.uses)),
  );
}

describe('README workflows', () => {
  it('show one workflow for the pull request and the merge, with the same inputs (dry-run: auto)', () => {
    const workflows = readmeWorkflows();
    expect(workflows.length).toBeGreaterThan(0);
    for (const { where, workflow } of workflows) {
      expect(Object.keys(workflow.on ?? {}), where).toEqual(expect.arrayContaining(['pull_request', 'push']));
      const steps = stepsOf(workflow, usesOurAction);
      expect(steps.length, where).toBe(1);
      expect(steps[0]!.with?.['dry-run'], where).toBeUndefined();
    }
  });

  it('pass only inputs that action.yml declares and read only its outputs', () => {
    const problems = readmeWorkflows().flatMap(({ where, workflow }) =>
      workflowProblems(where, workflow, usesOurAction),
    );
    expect(problems).toEqual([]);
  });

  it('grant what the run needs and no more, and never run two imports at once', () => {
    for (const { where, workflow } of readmeWorkflows()) {
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        const steps = (job.steps ?? []).filter((step) => step.uses !== undefined && usesOurAction(step.uses));
        if (steps.length === 0) continue;
        const at = `${where}: job "${name}"`;
        expect(job.permissions ?? workflow.permissions, at).toEqual({
          contents: 'read',
          deployments: 'write',
          'pull-requests': 'write',
        });
        const concurrency = job.concurrency ?? workflow.concurrency;
        expect(concurrency?.group, at).toBeTruthy();
        expect(concurrency?.['cancel-in-progress'], at).toBe(false);
      }
    }
  });
});

describe('repository workflows', () => {
  it('pass only inputs that action.yml declares to `uses: ./` and read only its outputs', () => {
    const workflows = repositoryWorkflows();
    expect(workflows.some(({ workflow }) => stepsOf(workflow, usesThisCheckout).length > 0)).toBe(true);
    expect(
      workflows.flatMap(({ where, workflow }) => workflowProblems(where, workflow, usesThisCheckout)),
    ).toEqual([]);
  });

  it('read the repository only', () => {
    for (const { where, workflow } of repositoryWorkflows()) {
      expect(workflow.permissions, where).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        expect(job.permissions, `${where}: job "${name}" widens the permissions`).toBeUndefined();
      }
    }
  });
});

// ---------------------------------------------------------------- the rest of what users read

describe('action.yml', () => {
  it('uses only the keys GitHub reads (a misspelt key is silently ignored)', () => {
    const keys = (value: object) => Object.keys(value);
    expect(['name', 'description', 'author', 'branding', 'inputs', 'outputs', 'runs']).toEqual(
      expect.arrayContaining(keys(action)),
    );
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(['description', 'required', 'default', 'deprecationMessage'], `input ${name}`).toEqual(
        expect.arrayContaining(keys(input)),
      );
    }
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(['description'], `output ${name}`).toEqual(expect.arrayContaining(keys(output)));
    }
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('describes every input and output, with defaults written as strings', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(typeof input.description === 'string' && input.description.trim(), `input ${name}`).toBeTruthy();
      if (input.default !== undefined)
        expect(typeof input.default, `default of input ${name}`).toBe('string');
    }
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(
        typeof output.description === 'string' && output.description.trim(),
        `output ${name}`,
      ).toBeTruthy();
    }
  });

  it('has an author and Marketplace branding', () => {
    expect(action.author).toBeTruthy();
    expect(action.branding?.icon).toBeTruthy();
    // The colours GitHub Marketplace accepts.
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding?.color,
    );
  });
});

describe('README', () => {
  it('shows only npm commands that package.json defines, here and in docs/', () => {
    const scripts = Object.keys(
      (JSON.parse(read(path.join(ROOT, 'package.json'))) as { scripts: Record<string, string> }).scripts,
    );
    const commands = (file: string) =>
      [...read(file).matchAll(/\bnpm (?:run (?:--silent )?([\w:-]+)|(start|test)\b)/g)].map(
        (match) => match[1] ?? match[2]!,
      );
    const shown = [
      README,
      ...readdirSync(DOCS)
        .filter((file) => file.endsWith('.md'))
        .map((file) => path.join(DOCS, file)),
    ].flatMap(commands);
    expect(commands(README)).toContain('start');
    expect(commands(path.join(DOCS, 'local-development.md'))).toContain('test');
    expect(shown.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it('fits on a page: at most 15 KB', () => {
    expect(Buffer.byteLength(read(README))).toBeLessThanOrEqual(15_000);
  });

  it('starts a local try with `npm ci && npm start`', () => {
    expect(read(README)).toContain('npm ci && npm start');
  });
});

describe('README and docs/', () => {
  const pages = [
    'README.md',
    ...readdirSync(DOCS)
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ];

  it.each(pages)('%s links only to files that exist', (page) => {
    const targets = [...read(path.join(ROOT, page)).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z]+:/i.test(target))
      .map((target) => path.relative(ROOT, path.resolve(ROOT, path.dirname(page), target)));
    expect(targets.filter((target) => !existsSync(path.join(ROOT, target)))).toEqual([]);
  });

  it.each(pages)('%s links only to headings that exist', (page) => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} -]/gu, '')
        .replace(/ /g, '-');
    const broken = [...read(path.join(ROOT, page)).matchAll(/\]\(([^)\s]*)#([^)\s]+)\)/g)].flatMap(
      (match) => {
        const target = match[1] ? path.resolve(ROOT, path.dirname(page), match[1]) : path.join(ROOT, page);
        if (!target.endsWith('.md') || !existsSync(target)) return [];
        const headings = [...read(target).matchAll(/^#+ (.+)$/gm)].map((heading) => slug(heading[1]!));
        return headings.includes(match[2]!) ? [] : [`${match[1]}#${match[2]}`];
      },
    );
    expect(broken).toEqual([]);
  });
});
