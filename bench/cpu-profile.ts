import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** Samples this thread's CPU while `work` runs, as `node --cpu-prof` would. */
export async function profileCpu<T>(
  file: string,
  work: () => Promise<T>,
): Promise<{ result: T; top: string[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    writeFileSync(file, JSON.stringify(profile));
    return { result, top: topSelfTime(profile, 15) };
  } finally {
    session.disconnect();
  }
}

/** The functions where the samples landed, by share of all samples. */
function topSelfTime(profile: Profile, count: number): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    const where = frame.url
      ? frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    totals.set(name, (totals.get(name) ?? 0) + 1);
  }
  const all = profile.samples.length || 1;
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `${((100 * n) / all).toFixed(1).padStart(5)}%  ${name}`);
}
