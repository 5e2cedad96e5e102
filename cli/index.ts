import { Command, CommanderError } from 'commander';
import { registerBenchCommand } from './commands/bench';
import { registerDbCommands } from './commands/db';
import { registerDemoCommand } from './commands/demo';
import { registerFeatureCommand } from './commands/features';
import { registerGatewayCommand } from './commands/gateway';
import { registerKeyCommands } from './commands/keys';
import { registerPipelineCommands } from './commands/pipelines';
import { registerReplayCommand } from './commands/replay';
import { registerRunCommand } from './commands/run';
import { registerSchemaCommand } from './commands/schemas';
import { registerSetupCommand } from './commands/setup';
import { registerSimulateCommand } from './commands/simulate';
import { registerSinkCommand } from './commands/sink';
import { registerStackCommands } from './commands/stack';
import { registerTopicCommand } from './commands/topics';
import { exitCodeOf, printError } from './output';

/** Builds the `smp` command tree; kept separate from `main` so tests can drive it. */
export function buildProgram(): Command {
  const program = new Command('smp')
    .description('Smart Maintenance Pipeline: streaming predictive maintenance on Kafka')
    .showHelpAfterError()
    .exitOverride();
  registerStackCommands(program);
  registerTopicCommand(program);
  registerSchemaCommand(program);
  registerSetupCommand(program);
  registerDbCommands(program);
  registerKeyCommands(program);
  registerGatewayCommand(program);
  registerSimulateCommand(program);
  registerSinkCommand(program);
  registerPipelineCommands(program);
  registerFeatureCommand(program);
  registerRunCommand(program);
  registerDemoCommand(program);
  registerReplayCommand(program);
  registerBenchCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    printError(error);
    process.exitCode = exitCodeOf(error);
  }
}
