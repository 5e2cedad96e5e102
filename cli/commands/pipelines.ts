import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import {
  defaultPipelinesLocation,
  formatDuration,
  formatProblem,
  loadPipelines,
} from '../../pipelines';
import { EXIT_CHECK_FAILED, table } from '../output';

export function registerPipelineCommands(program: Command): void {
  const pipelines = program
    .command('pipelines')
    .description('check and list the pipeline definitions');

  pipelines
    .command('lint [paths...]')
    .description(
      'check definitions (default: SMP_PIPELINES_DIR or pipelines/); exit 3 on any error',
    )
    .action((paths: string[]) => {
      const locations = paths.length > 0 ? paths : [defaultPipelinesLocation(loadConfig())];
      let problems = 0;
      let files = 0;
      for (const location of locations) {
        const result = loadPipelines(location);
        files += result.files.length;
        problems += result.problems.length;
        for (const problem of result.problems) console.error(formatProblem(problem));
      }
      if (problems > 0) {
        console.error(`${problems} problem(s) in ${files} file(s)`);
        process.exitCode = EXIT_CHECK_FAILED;
      } else {
        console.log(`${files} pipeline file(s) OK`);
      }
    });

  pipelines
    .command('list')
    .description('show each pipeline: assets, window and feature count')
    .action(() => {
      const { pipelines: defs, problems } = loadPipelines(defaultPipelinesLocation(loadConfig()));
      const rows = defs.map((p) => {
        const w = p.window;
        const hop = w.type === 'hopping' ? ` every ${formatDuration(w.hopMs)}` : '';
        return [
          p.name,
          [...p.assets.ids, ...Object.entries(p.assets.tags).map(([k, v]) => `${k}=${v}`)].join(
            ' ',
          ),
          `${w.type} ${formatDuration(w.sizeMs)}${hop}, grace ${formatDuration(w.graceMs)}, idle ${formatDuration(w.idleTimeoutMs)}`,
          String(p.features.length),
          p.model?.name ?? '-',
        ];
      });
      console.log(table([['PIPELINE', 'ASSETS', 'WINDOW', 'FEATURES', 'MODEL'], ...rows]));
      for (const problem of problems) console.error(formatProblem(problem));
      if (problems.length > 0) process.exitCode = EXIT_CHECK_FAILED;
    });
}
