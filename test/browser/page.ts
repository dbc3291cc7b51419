/**
 * A report as GitHub shows it: GFM rendered by markdown-it (CommonMark with GFM tables; raw HTML such
 * as <details> kept, as GitHub keeps it), styled by github-markdown-css, in GitHub's 896 px content
 * column, measured in headless Chromium at 1280 px.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import MarkdownIt from 'markdown-it';
import type { Browser } from 'puppeteer-core';

/** The width of the column GitHub gives a comment body or a job summary on a 1280 px window. */
export const COLUMN_PX = 896;
export const WINDOW = { width: 1280, height: 800 };
/** Debian's chromium package. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const require = createRequire(import.meta.url);
const STYLESHEET = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');

const gfm = new MarkdownIt({ html: true, linkify: true });

export function renderHtml(title: string, markdown: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${gfm.utils.escapeHtml(title)}</title>
<style>${STYLESHEET}
body { margin: 0; background: #fff; }
.column { box-sizing: border-box; width: ${COLUMN_PX}px; margin: 0 auto; padding: 16px 0; }
</style></head>
<body><main class="column markdown-body">
${gfm.render(markdown)}
</main></body></html>`;
}

export interface Measurement {
  /** Elements wider than the column, or scrolling sideways inside it: `table: 1103 px`. */
  overflows: string[];
  /** The verdict line's text and how far down it ends, in px; undefined when there is none. */
  verdict?: { text: string; bottom: number };
  /** Text a reader would see that escaping left behind (`\|`, `&gt;`). */
  leftovers: string[];
}

/**
 * Runs in the page (plain JavaScript: this project's TypeScript has no DOM types). Finds the verdict
 * as the page first shows, then opens every <details> (a folded section must fit unfolded too) and
 * looks for anything past the column's right edge or scrolling sideways inside it.
 */
const MEASURE = `(column) => {
  const main = document.querySelector('main');
  const first = [...main.querySelectorAll('p')].find((p) => /^[✅❌]/.test(p.textContent));
  const verdict = first
    ? { text: first.textContent.split('\\n')[0], bottom: first.getBoundingClientRect().bottom }
    : undefined;
  for (const element of document.querySelectorAll('details')) element.open = true;
  const right = main.getBoundingClientRect().left + column;
  const overflows = [];
  for (const element of main.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    const name = element.tagName.toLowerCase() + ' "' + element.textContent.slice(0, 40) + '"';
    if (box.right > right + 0.5) overflows.push(name + ' ends at ' + Math.round(box.right - right + column) + ' px');
    else if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible')
      overflows.push(name + ' scrolls: ' + element.scrollWidth + ' px in ' + element.clientWidth + ' px');
  }
  // Code spans hold commands as they are typed (a jq filter has its own \\|): only prose is checked.
  const prose = main.cloneNode(true);
  for (const code of prose.querySelectorAll('code')) code.remove();
  const shown = prose.textContent;
  const leftovers = [/\\\\\\|/, /&(gt|lt|amp);/, /\\\\[_*\`[\\]]/].flatMap((pattern) => {
    const match = pattern.exec(shown);
    return match ? [shown.slice(Math.max(0, match.index - 30), match.index + 30)] : [];
  });
  return { verdict, overflows, leftovers };
}`;

export async function measure(browser: Browser, html: string): Promise<Measurement> {
  const page = await browser.newPage();
  try {
    await page.setViewport(WINDOW);
    await page.setContent(html, { waitUntil: 'load' });
    const result = (await page.evaluate(`(${MEASURE})(${COLUMN_PX})`)) as Measurement;
    return {
      overflows: result.overflows,
      leftovers: result.leftovers,
      ...(result.verdict ? { verdict: result.verdict } : {}),
    };
  } finally {
    await page.close();
  }
}
