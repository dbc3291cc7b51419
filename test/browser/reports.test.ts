/**
 * Every report of the realistic runs (test/browser/runs.ts), as GitHub shows it at 1280 px: nothing
 * wider than the 896 px column, the verdict on the first screen, no escaping left in sight.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, measure, renderHtml, WINDOW, type Measurement } from './page.js';
import { realisticReports, type ReportPage } from './runs.js';

let browser: Browser;
let pages: ReportPage[];
const measured = new Map<string, Measurement>();

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH.`,
    );
  [browser, pages] = await Promise.all([
    puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] }),
    realisticReports(),
  ]);
  for (const page of pages)
    measured.set(page.name, await measure(browser, renderHtml(page.title, page.markdown)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const NAMES = [
  'pr-comment',
  'pr-summary',
  'merge-summary',
  'second-run-summary',
  'refused-file-summary',
  'timeout-summary',
];

describe.each(NAMES)('the %s, at 1280 px', (name) => {
  it('fits the 896 px column, every folded section unfolded', () => {
    expect(measured.get(name)?.overflows).toEqual([]);
  });

  it('shows the verdict on the first screen', () => {
    const verdict = measured.get(name)?.verdict;
    expect(verdict, 'a line starting with ✅ or ❌').toBeDefined();
    expect(verdict!.bottom).toBeLessThanOrEqual(WINDOW.height);
  });

  it('shows no escaping: no \\|, &gt; or \\_ in what a reader sees', () => {
    expect(measured.get(name)?.leftovers).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds a table wider than the column, and a verdict below the first screen', async () => {
    const wide = `| A | B |\n| --- | --- |\n| ${'x'.repeat(120)} | ${'y'.repeat(120)} |`;
    const late = `${'para\n\n'.repeat(60)}✅ verdict`;
    const measurement = await measure(browser, renderHtml('wide', `${late}\n\n${wide}`));
    expect(measurement.overflows.length).toBeGreaterThan(0);
    expect(measurement.verdict!.bottom).toBeGreaterThan(WINDOW.height);
  });
});

describe('the realistic pull request', () => {
  const markdown = (name: string) => pages.find((page) => page.name === name)!.markdown;

  it('leads its comment with the settings, then counts people: added, blocked, left in Auth0, invalid', () => {
    const lines = markdown('pr-comment').split('\n\n');
    const title = lines.findIndex((line) => line.startsWith('### Auth0 user import'));
    expect(lines[title + 1]).toMatch(
      /^users\/\\\*\.json · target: [\d.:]+ · connection con\\_\w+ · upsert: true · reconcile: true · on-removed: report · protected-users: none · only-changed: false · baseline: the last applied commit \([0-9a-f]{7}, deployment \d+\)$/,
    );
    expect(lines[title + 2]).toMatch(
      /^❌ Plan: \*\*2 added · 1 blocked · 1 left in Auth0 · 1 invalid\*\* · 2 unchanged/,
    );
  });

  it('names who is blocked, left in Auth0 and invalid (at file:line) before anyone added', () => {
    const comment = markdown('pr-comment');
    const order = [
      '`alan@example.com` users/staff.json:',
      '`grace@example.com`',
      '`margaret@example.com` users/staff.json:35',
      '`katherine+ops@example.com`',
    ];
    const at = order.map((text) => comment.indexOf(text));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('says after the merge what happened, not what will: counts of outcomes, each person done', () => {
    const summary = markdown('merge-summary');
    expect(summary).toMatch(/^✅ Outcome: \*\*3 added · 1 blocked · 1 left in Auth0\*\* · 2 unchanged$/m);
    expect(summary).not.toMatch(/\bwill\b/);
    expect(summary.match(/→ ✓ done/g)).toHaveLength(4);
  });

  it('finds nothing to do on the second identical run, with no empty table', () => {
    const summary = markdown('second-run-summary');
    // Compared with what the merge applied: Grace, left in Auth0 by on-removed: report, was reported then.
    expect(summary).toMatch(/^✅ Outcome: \*\*no changes\*\* · 6 unchanged$/m);
    expect(summary).not.toContain('### Jobs');
    expect(summary).not.toMatch(/\| 0 \| 0 \| 0 \|/);
  });

  it('gives the filter that converts an Auth0 export, for the file itself, in a code span', () => {
    expect(markdown('refused-file-summary')).toContain(
      '`jq -s \'map(del(.created_at, .updated_at, .identities, .last_ip, .last_login, .logins_count) | if .user_id then .user_id |= sub("^auth0\\\\|"; "") else . end)\' users/export.ndjson > users/export.json`',
    );
  });
});
