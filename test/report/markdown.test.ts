/**
 * The Markdown renderer, held to a GFM parser (markdown-it: CommonMark with GFM tables) rather than
 * to itself: whatever text goes in must come out of the rendered HTML exactly as written.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { code, details, markdown, table, text } from '../../src/report/markdown.js';

const gfm = new MarkdownIt({ html: true, linkify: true });

/** The text a reader sees in rendered HTML: tags dropped, entities decoded. */
function shown(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

const HARD = [
  'a|b',
  'auth0|abc123',
  '`tick` and ``two``',
  '`',
  '<script>alert(1)</script>',
  'a > b & c < d',
  '&amp; stays &amp;',
  'line one\nline two',
  'ada+test@example.com',
  '*not bold* _not em_ ~~not struck~~',
  '[not a link](https://example.com)',
  '# not a heading',
  '+ not a list',
  '1. not a list',
  'back\\slash \\| \\`',
  'jq -s . users.ndjson > users.json',
];

const flat = (value: string) => value.replace(/\n/g, ' ');

describe('text', () => {
  it.each(HARD)('shows %j as written in a paragraph', (value) => {
    expect(shown(gfm.render(text(value)))).toBe(flat(value).trim());
  });

  it('makes no HTML of any text', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const html = gfm.render(`x ${text(value)} x`);
        expect(html).not.toMatch(/<(?!\/?p>)[a-z]/i);
        expect(shown(html)).toBe(`x ${flat(value)} x`.trim().replace(/ +$/, ''));
      }),
    );
  });
});

describe('code', () => {
  it.each(HARD)('keeps %j exact in a code span, to copy and paste', (value) => {
    const html = gfm.render(`run ${code(value)}`);
    expect(html).toContain('<code>');
    expect(shown(html)).toBe(`run ${flat(value)}`);
  });

  it('keeps `auth0|` without a backslash outside a table', () => {
    expect(code('auth0|')).toBe('`auth0|`');
  });

  it('keeps `>` as `>` in a code span, never `&gt;`', () => {
    expect(code('jq -s . users.ndjson > users.json')).toBe('`jq -s . users.ndjson > users.json`');
  });
});

describe('table', () => {
  it('keeps every cell, text or code, as written', () => {
    const rows = HARD.map((value) => [value, markdown(code(value))]);
    const html = gfm.render(table(['Text', 'Code'], rows));
    const cells = [...html.matchAll(/<td>(.*?)<\/td>/gs)].map((match) => shown(match[1]!));
    expect(cells).toEqual(HARD.flatMap((value) => [flat(value).trim(), flat(value)]));
  });

  it('has as many columns in every row, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const html = gfm.render(table(['A', 'B'], [[a, markdown(code(b))]]));
        expect(html.match(/<td>/g) ?? []).toHaveLength(2);
      }),
    );
  });
});

describe('details', () => {
  it('folds its body under a summary that shows as written', () => {
    const html = gfm.render(details('Added (2) & more', '- one\n- two'));
    expect(html).toContain('<summary>Added (2) &amp; more</summary>');
    expect(html).toContain('<li>one</li>');
  });
});
