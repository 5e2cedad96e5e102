import { loadPipelineFile } from '../pipelines';
import { FeatureEngine } from '../processors/features';

/**
 * Run by the features benchmark as `node --expose-gc features-memory.js
 * <definition> <assets> <readingsPerAsset>`: the heap that window state
 * takes for that many assets, each with an open window holding that many
 * readings, measured between two forced collections. Prints JSON.
 */
const [file, assetsArg, readingsArg] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!file || !gc)
  throw new Error('usage: node --expose-gc features-memory.js <file> <assets> <readings>');

const { definition } = loadPipelineFile(file, {});
const engine = new FeatureEngine([definition!], { now: () => 0 });
const assets = Number(assetsArg);
const perAsset = Number(readingsArg);
const metrics: Record<string, number> = {};
definition!.metrics.forEach((m, i) => (metrics[m] = i + 0.5));
const ignore = { window: () => undefined, late: () => undefined, duplicate: () => undefined };

// Typed arrays keep their data outside the V8 heap, so both count.
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

gc();
const before = used();
let offset = 0;
for (let r = 0; r < perAsset; r++) {
  for (let a = 0; a < assets; a++) {
    const reading = { assetId: `bench-${a}`, ts: 1_000 + r * 1000, metrics, tags: {} };
    engine.process(reading, 0, offset++, ignore);
  }
}
gc();
const after = used();
const open = engine.census()[0]!;
process.stdout.write(
  JSON.stringify({ assets, perAsset, bytes: after - before, openWindows: open.openWindows }),
);
