// Preloaded (node --import) where GNU time is missing: writes the process's peak RSS, VmHWM of its
// own address space, to BENCH_PEAK_RSS_FILE as it exits.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const file = process.env.BENCH_PEAK_RSS_FILE;
  if (kilobytes !== undefined && file) writeFileSync(file, String(Number(kilobytes) * 1024));
});
