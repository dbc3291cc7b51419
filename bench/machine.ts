/**
 * Where the bench ran. Ratios against same-run baselines travel between machines better than times,
 * but not perfectly (issue 25: a dry run was 0.71–0.80× ajv on one 2-core machine, 1.63× on
 * another): every result says which machine it is from, and each machine keeps its own file.
 */
import { arch, cpus, platform, totalmem } from 'node:os';
import path from 'node:path';

export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
}

export function thisMachine(): Machine {
  const all = cpus();
  return {
    cpuModel: all[0]?.model.trim() || 'unknown CPU',
    cores: all.length,
    node: process.version,
    os: `${platform()} ${arch()}`,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  };
}

export function describeMachine(machine: Machine): string {
  return `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`;
}

/** bench/results/<cpu model>-<cores>c.json: one file per kind of machine, its last full run. */
export function machineResultsFile(machine: Machine): string {
  const slug = machine.cpuModel
    .toLowerCase()
    .replace(/\((r|tm)\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return path.join(import.meta.dirname, 'results', `${slug || 'unknown-cpu'}-${machine.cores}c.json`);
}
