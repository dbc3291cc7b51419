/**
 * The one way this action writes GitHub Markdown (GFM): text shown as written, code spans that copy
 * and paste exactly, tables, lists and collapsed sections. Text from users files or Auth0 may hold
 * Markdown or HTML; nothing of it is ever interpreted.
 */
export { plural } from './words.js';

/** Markdown already made by these functions (or written here as a literal): never escaped again. */
export interface Markdown {
  readonly markdown: string;
}

export function markdown(source: string): Markdown {
  return { markdown: source };
}

/** Backslash-escaped everywhere: GFM treats these as emphasis, code, links, tables and strikethrough. */
const PUNCTUATION = /[\\`*_[\]|~]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Inline text shown exactly as written (newlines become spaces): `&`, `<` and `>` as entities, so no
 * HTML is made; Markdown punctuation backslash-escaped; a leading `#`, `+`, `-`, `=` or `1.` that
 * would start a heading or a list escaped too.
 */
export function text(value: string | number): string {
  return inline(value)
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function inline(value: string | number): string {
  return String(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[&<>]/g, (char) => ENTITIES[char]!)
    .replace(PUNCTUATION, '\\$&');
}

/**
 * Our own sentences (messages, hints), which name commands and values between backticks: those
 * become code spans that copy and paste exactly; the rest is text.
 */
export function prose(value: string): string {
  return value
    .split(/`([^`]+)`/)
    .map((part, i) => (i % 2 === 1 ? code(part) : i === 0 ? text(part) : inline(part)))
    .join('');
}

/** Text in a table cell, shown as written (a cell starts no heading or list). */
export function cell(value: string | number): string {
  return inTable(inline(value));
}

/**
 * A code span holding `value` exactly, for copy-paste: nothing inside a code span is unescaped, so
 * the fence is one backtick longer than any run of backticks in it, with a space either side when
 * the value starts or ends with one. Newlines become spaces (a code span is one line).
 */
export function code(value: string): string {
  const flat = value.replace(/\r?\n|\r/g, ' ');
  if (flat === '') return '';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Markdown inside a table cell: GFM splits a row at every `|` not preceded by a backslash, code
 * spans included, and removes that one backslash before reading the cell, so every `|` gets one.
 */
function inTable(source: string): string {
  return source.replace(/\|/g, '\\|');
}

/** A cell: plain text (escaped) or Markdown made by `code`, `markdown` and friends. */
export type Cell = string | number | Markdown;

function cellMarkdown(value: Cell): string {
  return typeof value === 'object' ? inTable(value.markdown.replace(/\r?\n|\r/g, ' ')) : cell(value);
}

export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cellMarkdown).join(' | ')} |`);
  return lines.join('\n');
}

/** Shows at most `limit` rows and says how many were left out, and where they are. */
export function cappedTable<T>(
  header: readonly string[],
  items: readonly T[],
  toRow: (item: T) => readonly Cell[],
  limit: number,
  restIn = 'the step log',
): string {
  const shown = table(header, items.slice(0, limit).map(toRow));
  const rest = items.length - limit;
  return rest > 0 ? `${shown}\n\n…and ${rest} more (all are listed in ${restIn}).` : shown;
}

/**
 * A section that shows its first rows and folds the rest: a reader sees what matters without
 * scrolling past a long list. `open` shows it unfolded (the rest is still a click away).
 */
export function details(summary: string, body: string, open = false): string {
  // An HTML block: Markdown is not read inside <summary>, entities are.
  const title = summary.replace(/[&<>]/g, (char) => ENTITIES[char]!);
  return `<details${open ? ' open' : ''}><summary>${title}</summary>\n\n${body}\n\n</details>`;
}

/** A bulleted list of Markdown items. */
export function list(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}
