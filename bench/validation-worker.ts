/**
 * One validation mode in a fresh process, so its peak RSS is its own:
 * `node --import scripts/ts-hooks.mjs bench/validation-worker.ts <workspace> <file> <mode|baseline>`.
 * Prints `{"maxRssBytes": N}`. `baseline` loads the same modules and does nothing with the file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { peakRssBytes } from './measure.js';
import { MODES, runMode, type Mode } from './validation-modes.js';

const [workspace, file, mode] = process.argv.slice(2);
if (!workspace || !file || !(mode === 'baseline' || MODES.includes(mode as Mode))) {
  throw new Error(`usage: validation-worker.ts <workspace> <file> <baseline|${MODES.join('|')}>`);
}
if (mode !== 'baseline') {
  // dry-run reads the file itself, the way the action does.
  const text = mode === 'dry-run' ? '' : await readFile(path.join(workspace, file), 'utf8');
  await runMode(mode as Mode, workspace, file, text);
}
console.log(JSON.stringify({ maxRssBytes: peakRssBytes() }));
