/** Small, safe Markdown building blocks for the job summary. */

/** Text from users files or Auth0 may hold Markdown or HTML; a table cell must show it as written. */
export function cell(text: string | number): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** Shows at most `limit` rows and says how many were left out. */
export function cappedTable<T>(
  header: readonly string[],
  items: readonly T[],
  toRow: (item: T) => readonly (string | number)[],
  limit: number,
): string {
  const shown = table(header, items.slice(0, limit).map(toRow));
  const rest = items.length - limit;
  return rest > 0 ? `${shown}\n\n…and ${rest} more (all are listed in the step log).` : shown;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
