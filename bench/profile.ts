/** Where a process's time goes: one run under --cpu-prof, its self time summed by function. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { expectSuccess, runProcess, type ProcessOptions } from './measure.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** "31% JSON.parse, 18% scanUsers (locate.ts), ..., 7% (garbage collector)": the `top` largest shares. */
export async function summariseProfile(
  workspace: string,
  args: readonly string[],
  options: ProcessOptions,
  top = 8,
): Promise<string> {
  const directory = await mkdtemp(path.join(workspace, 'profile-'));
  try {
    expectSuccess(
      'profiled run',
      await runProcess(['--cpu-prof', '--cpu-prof-dir', directory, ...args], options),
    );
    const file = (await readdir(directory)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) return 'no profile written';
    const profile = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as CpuProfile;
    const names = new Map(profile.nodes.map((node) => [node.id, nameOf(node)]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      total += delta;
      const name = names.get(id) ?? '?';
      self.set(name, (self.get(name) ?? 0) + delta);
    });
    return [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `${Math.round((time / total) * 100)}% ${name}`)
      .join(', ');
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function nameOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  const file = url ? path.basename(url) : '';
  return `${functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
}
