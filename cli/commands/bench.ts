import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { benchmarks } from '../../bench';
import { loadConfig } from '../../lib/config';
import { fromRoot } from '../../lib/package-root';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench [name] [args...]')
    // Options after the name belong to the benchmark (`bench sink --readings 1000`).
    .allowUnknownOption()
    .description(
      `run benchmarks against the local stack (${Object.keys(benchmarks).join(', ') || 'none yet'}); all when no name is given`,
    )
    .action(async (name: string | undefined, args: string[]) => {
      const config = loadConfig();
      const names = name ? [name] : Object.keys(benchmarks);
      for (const n of names) {
        const benchmark = benchmarks[n];
        if (!benchmark) {
          throw new Error(
            `no benchmark ${JSON.stringify(n)}; known: ${Object.keys(benchmarks).join(', ')}`,
          );
        }
        console.log(`== ${n}: ${benchmark.description}`);
        const result = await benchmark.run(config, args);
        for (const line of result.lines) console.log(line);
        const dir = fromRoot('bench', 'results');
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${n}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
        writeFileSync(
          file,
          JSON.stringify({ name: n, at: new Date().toISOString(), ...result.data }, null, 2),
        );
        console.log(`results: ${path.relative(process.cwd(), file)}`);
      }
    });
}
