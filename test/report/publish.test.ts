import { describe, expect, it } from 'vitest';
import { fitSummary, MAX_SUMMARY_BYTES, readableJson } from '../../src/report/publish.js';

describe('fitSummary', () => {
  it('keeps a summary that fits as it is', () => {
    expect(fitSummary(['## Title', 'text'])).toBe('## Title\n\ntext\n');
  });

  it('cuts at a section boundary and says so when the next section would pass the limit', () => {
    const summary = fitSummary(['## Title', 'a'.repeat(600), 'z'.repeat(600)], 1_000);
    expect(summary).toContain('a'.repeat(600));
    expect(summary).not.toContain('z');
    expect(summary).toContain("The summary was cut to stay within GitHub's 1 MiB limit");
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1_000);
  });

  it('cuts one huge section of multi-byte text within the limit, never inside a surrogate pair', () => {
    const summary = fitSummary(['## Title', '😀é'.repeat(400_000)]);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(summary).toMatch(/[😀é]\n\n> \[!NOTE\]/u);
    expect(summary.isWellFormed()).toBe(true);
  });
});

describe('readableJson', () => {
  const plan = {
    baseline: null,
    counts: { added: 2, removed: 0 },
    skipped: undefined,
    users: [
      { action: 'add', email: 'ada@example.com', file: 'users.json', line: 2 },
      { action: 'update', email: 'alan@example.com', attributes: ['given_name', 'app_metadata'] },
    ],
    empty: [],
    nothing: {},
  };

  it('means exactly what JSON.stringify means', () => {
    for (const value of [plan, [], {}, [1, 'two', null, undefined, { a: [1] }], 'text', 3, null, true]) {
      expect(JSON.parse(readableJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('puts each element of a list on a line of its own, and indents objects', () => {
    const lines = readableJson(plan).split('\n');
    expect(lines).toContain('  "counts": {');
    expect(lines).toContain('    "added": 2,');
    expect(lines).toContain('    {"action":"add","email":"ada@example.com","file":"users.json","line":2},');
    expect(lines).toContain(
      '    {"action":"update","email":"alan@example.com","attributes":["given_name","app_metadata"]}',
    );
    expect(lines).toContain('  "empty": [],');
    expect(lines).not.toContain('  "skipped": null,');
  });
});
