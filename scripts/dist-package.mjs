// After ncc: marks dist/ as ESM for Node wherever it is copied, and writes dist/licenses.txt from
// every production dependency (ncc's own license list misses most of them once minified).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('dist/package.json', root), JSON.stringify({ type: 'module' }, null, 2) + '\n');

const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));
const sections = Object.entries(lock.packages)
  .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
  .map(([path, entry]) => {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const dir = new URL(`${path}/`, root);
    const file = readdirSync(dir).find((candidate) => /^(licen[cs]e|copying)(\.|$)/i.test(candidate));
    const text = file ? readFileSync(new URL(file, dir), 'utf8').trim() : '(no license file in the package)';
    return `${name}@${entry.version}\n${entry.license ?? 'UNKNOWN'}\n${text}`;
  })
  .sort();
writeFileSync(new URL('dist/licenses.txt', root), `${[...new Set(sections)].join('\n\n')}\n`);
