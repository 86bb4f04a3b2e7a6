// Entry point of a worker thread (one slot): rebuilds the job from its module, then hosts the slot's subtasks.
import { parentPort, workerData } from 'node:worker_threads';
import { TaskExecutor } from './task-executor.js';
import { createStateBackend } from './state-backends.js';
import { pluginRegistry } from '../plugins/plugin-registry.js';
import { loadJobFunction } from './job-module.js';
import { StreamExecutionEnvironment } from '../api/stream-execution-environment.js';
import { errorInfo, type ExecutorMessage } from './protocol.js';
import type { WorkerBootstrap } from './job-coordinator.js';

const boot = workerData as WorkerBootstrap;
const port = parentPort!;

async function main(): Promise<void> {
  const fn = await loadJobFunction(boot.jobRef);
  const env = StreamExecutionEnvironment.create(boot.config);
  await fn(env, boot.jobRef.args);
  const graph = env.getJobGraph();
  const te = new TaskExecutor({
    jobId: boot.jobId,
    jobName: boot.jobName,
    attempt: boot.attempt,
    graph,
    config: env.config,
    slot: boot.slot,
    numSlots: boot.numSlots,
    control: port,
    peers: new Map(boot.peers),
    // The same registry the coordinator used: plugins installed around the job module.
    stateBackend: await createStateBackend(env.config, pluginRegistry(boot.jobRef.module)),
    restore: boot.restore,
  });
  te.deploy();
}

main().catch((e) => {
  port.postMessage({ t: 'task-failed', v: -1, s: -1, task: `slot ${boot.slot} startup`, error: errorInfo(e) } satisfies ExecutorMessage);
});
