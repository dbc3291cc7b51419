// `npm run preview`: the reports of the realistic runs (test/browser/runs.ts), made by dist/ against the
// emulator, written as pages styled as GitHub shows them, with a screenshot of each at 1280 px, for a
// person to look at. Run `npm run bundle` first after changing src/. docs/images/plan-comment.png, the
// README's picture, is .tmp/preview/pr-comment.png.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, measure, renderHtml, WINDOW } from '../test/browser/page.js';
import { realisticReports } from '../test/browser/runs.js';

const directory = path.resolve(import.meta.dirname, '../.tmp/preview');
await mkdir(directory, { recursive: true });
const pages = await realisticReports();
const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const report of pages) {
    const html = renderHtml(report.title, report.markdown);
    const file = path.join(directory, `${report.name}.html`);
    await writeFile(path.join(directory, `${report.name}.md`), report.markdown);
    await writeFile(file, html);
    const page = await browser.newPage();
    await page.setViewport(WINDOW);
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    // The 896 px column, as GitHub shows it in a 1280 px window.
    const column = await page.$('main');
    await column!.screenshot({ path: path.join(directory, `${report.name}.png`) });
    await page.close();
    const { overflows, verdict } = await measure(browser, html);
    console.log(
      `${report.name}: ${verdict ? `verdict ends at ${Math.round(verdict.bottom)} px` : 'no verdict'}; ${
        overflows.length === 0 ? 'fits 896 px' : `overflows: ${overflows.join('; ')}`
      }`,
    );
  }
} finally {
  await browser.close();
}
console.log(`Pages, Markdown and screenshots in ${path.relative(process.cwd(), directory)}/`);
