// `@runnel/cli`: the `runnel` command. The package entry exposes the command's building blocks (argument
// parsing, progress and summary formatting, `main`) for embedding and tests; the command itself is `bin/runnel.mjs`.
export { main } from './main.js';
export { parseCommandLine, parseArgValue, parseKeyValue, UsageError } from './args.js';
export type { Command, HelpTopic, RunCommandOptions, SavepointOnStop } from './args.js';
export { newCommand, packageNameFor, projectPackageJson, runnelPackages, scaffoldProject } from './new-command.js';
export type { NewCommandIo, NewCommandOptions, RunnelPackages } from './new-command.js';
export {
  CheckpointTally,
  countRestarts,
  formatBytes,
  formatCheckpoint,
  formatCheckpointProgress,
  formatEvent,
  formatMillis,
  isAbortedByJobEnd,
} from './checkpoints.js';
export type { CheckpointCounts } from './checkpoints.js';
export { describeJobError, parseStack } from './job-error.js';
export type { JobErrorPhase, JobErrorReport, StackFrame } from './job-error.js';
export { runCommand, processIo } from './run-command.js';
export type { CliIo } from './run-command.js';
export {
  chainPositions,
  classifyOperator,
  collectOperators,
  countSample,
  droppedRecords,
  formatCount,
  formatElapsed,
  formatWatermark,
  formatProgressLine,
  jobWatermark,
} from './progress.js';
export type {
  ChainPosition,
  CountSample,
  OperatorMetricInput,
  OperatorProgress,
  OperatorRole,
  ProgressSnapshot,
  SubtaskMetricInput,
} from './progress.js';
export { ProgressReporter } from './progress-reporter.js';
export type { ProgressOutput, ProgressReporterOptions, ProgressSource } from './progress-reporter.js';
export { buildSummary, formatSummary, formatTable } from './summary.js';
export type { CheckpointSummary, CheckpointsSummary, EventSummary, JobSummary, OperatorSummary, RunOutcome } from './summary.js';
export { cliVersion, MAIN_HELP, NEW_HELP, RUN_HELP, SQL_HELP } from './help.js';
export { sqlCommand } from './sql-command.js';
export type { SqlCommandOptions } from './sql-command.js';
