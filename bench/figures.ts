/** The bench's figures, each with its target and verdict, and the one table they are printed as. */

export type Unit = 'ms' | '×' | 'MB/s' | 'MB' | 'requests' | 'chunks' | 'bytes' | '%';

export interface Target {
  /** `≤`: at most the limit; `<`: strictly below it. */
  op: '≤' | '<';
  limit: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: Unit;
  target?: Target;
  met?: boolean;
  /** Why the figure is what it is, when a reader would ask. */
  note?: string;
}

export function figure(name: string, value: number, unit: Unit, target?: Target, note?: string): Figure {
  const met =
    target && !Number.isNaN(value)
      ? target.op === '≤'
        ? value <= target.limit
        : value < target.limit
      : undefined;
  return {
    name,
    value,
    unit,
    ...(target ? { target } : {}),
    ...(met !== undefined ? { met } : {}),
    ...(note ? { note } : {}),
  };
}

/** A value as the table prints it: its unit, the digits that matter. */
export function formatFigure(value: number, unit: Unit, minimumDigits = 0): string {
  if (Number.isNaN(value)) return 'n/a';
  const usual = unit === '×' ? 2 : unit === 'MB' || unit === '%' || (unit === 'ms' && value < 100) ? 1 : 0;
  const digits = Math.max(usual, minimumDigits);
  const number = value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit === '×' ? `${number}×` : `${number} ${unit}`;
}

/** Enough digits to print a limit as it is (1.005, not 1.01), at most three. */
export function digitsOf(limit: number): number {
  for (let digits = 0; digits < 3; digits++) {
    if (Number(limit.toFixed(digits)) === limit) return digits;
  }
  return 3;
}

export function renderTable(figures: readonly Figure[]): string {
  const rows = [
    ['figure', 'value', 'target', 'met?'],
    ...figures.map((row) => [
      row.name,
      formatFigure(row.value, row.unit),
      row.target
        ? `${row.target.op} ${formatFigure(row.target.limit, row.unit, digitsOf(row.target.limit))}`
        : '',
      row.met === undefined ? '' : row.met ? 'met' : 'NOT met',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  const notes = figures.filter((row) => row.note).map((row) => `- ${row.name}: ${row.note}`);
  return [line(rows[0]!), rule, ...rows.slice(1).map(line), ...(notes.length ? ['', ...notes] : [])].join(
    '\n',
  );
}
