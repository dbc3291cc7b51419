/**
 * `npm run bench:compare`: the figures of every machine's last full bench (bench/results/*.json) side
 * by side, and the targets met on one machine and not on another.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { digitsOf, formatFigure, type Figure } from './figures.js';
import { describeMachine, type Machine } from './machine.js';

interface MachineResults {
  file: string;
  date: string;
  machine: Machine;
  loadAverageBefore?: string;
  figures: Figure[];
}

export async function readMachineResults(directory: string): Promise<MachineResults[]> {
  const names = (await readdir(directory).catch(() => [])).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => ({
      file: name,
      ...(JSON.parse(await readFile(path.join(directory, name), 'utf8')) as Omit<MachineResults, 'file'>),
    })),
  );
}

function cell(row: Figure | undefined): string {
  if (!row) return '';
  const verdict = row.met === undefined ? '' : row.met ? ' met' : ' NOT met';
  return `${formatFigure(row.value, row.unit)}${verdict}`;
}

/** Markdown: one column per machine, one row per figure, in the order of the first machine that has it. */
export function renderComparison(all: readonly MachineResults[]): string {
  const names = [...new Set(all.flatMap((results) => results.figures.map((row) => row.name)))];
  const lookup = all.map((results) => new Map(results.figures.map((row) => [row.name, row])));
  const lines = [
    ...all.map(
      (results, i) =>
        `${String.fromCharCode(65 + i)}: ${describeMachine(results.machine)}; ${results.date}, load average before ${results.loadAverageBefore ?? 'unknown'} (${results.file})`,
    ),
    '',
    `| figure | target | ${all.map((_, i) => String.fromCharCode(65 + i)).join(' | ')} |`,
    `|---|---|${all.map(() => '---:').join('|')}|`,
  ];
  const split: string[] = [];
  for (const name of names) {
    const rows = lookup.map((figures) => figures.get(name));
    const target = rows.find((row) => row?.target)?.target;
    const unit = rows.find((row) => row)!.unit;
    lines.push(
      `| ${name} | ${target ? `${target.op} ${formatFigure(target.limit, unit, digitsOf(target.limit))}` : ''} | ${rows.map(cell).join(' | ')} |`,
    );
    const verdicts = new Set(rows.map((row) => row?.met).filter((met) => met !== undefined));
    if (verdicts.size > 1) split.push(name);
  }
  lines.push(
    '',
    split.length === 0
      ? 'No target is met on one machine and missed on another.'
      : `Met on one machine and not on another: ${split.join('; ')}.`,
  );
  return lines.join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const all = await readMachineResults(path.join(import.meta.dirname, 'results'));
  console.log(all.length === 0 ? 'No results yet: run npm run bench.' : renderComparison(all));
}
