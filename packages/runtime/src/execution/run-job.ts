// Runs a job defined in a module on worker threads (the embedded MiniCluster): the client builds the graph to
// plan the slots, and every worker rebuilds it from the same module.
import { StreamExecutionEnvironment } from '../api/stream-execution-environment.js';
import { configFromOptions, DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from './runtime-config.js';
import { JobCoordinator } from './job-coordinator.js';
import { loadJobFunction, type JobModuleRef } from './job-module.js';
import type { JobClient, JobExecutionResult } from './job-client.js';

/**
 * Options of runJob/submitJob: Flink-style option keys (`parallelism.default`, ...) and the job's arguments.
 *
 * @public
 */
export interface RunJobOptions<A = unknown> {
  readonly exportName?: string;
  readonly args?: A;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly jobName?: string;
}

/**
 * Starts a job module on worker threads and returns its client.
 *
 * @public
 */
export async function submitJob<A>(module: string | URL, opts: RunJobOptions<A> = {}): Promise<JobClient> {
  const ref: JobModuleRef = { module: String(module), exportName: opts.exportName, args: opts.args };
  const base: RuntimeConfig = configFromOptions(opts.options ?? {}, DEFAULT_RUNTIME_CONFIG);
  const fn = await loadJobFunction(ref);
  const env = StreamExecutionEnvironment.create(base);
  await fn(env, opts.args);
  const name = opts.jobName ?? env.getJobName();
  // Workers start from the same base config and apply the job function's own settings themselves.
  const coordinator = new JobCoordinator(name, env.getJobGraph(), { ...env.config, mode: base.mode }, { ...ref, args: opts.args });
  await coordinator.start();
  return coordinator;
}

/**
 * Runs a job module on worker threads to completion.
 *
 * @public
 */
export async function runJob<A>(module: string | URL, opts: RunJobOptions<A> = {}): Promise<JobExecutionResult> {
  const client = await submitJob(module, opts);
  return client.getJobExecutionResult();
}
