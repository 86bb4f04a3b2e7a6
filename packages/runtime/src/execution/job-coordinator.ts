// The job coordinator (the job manager of the embedded MiniCluster): lays out slots, starts one TaskExecutor per
// slot on a worker thread (or one in the calling thread in local mode), connects every pair of workers with a
// MessageChannel for data, runs the split enumerators, collects metrics and results, and ends the job when all
// tasks finished — or fails it, canceling everything, when one task fails.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Source, SourceSplit } from '@runnel/api';
import type { MetricSnapshot } from '@runnel/metrics';
import type { JobGraph } from '../graph/job-graph.js';
import { SourceCoordinator } from './source-coordinator.js';
import { TaskExecutor } from './task-executor.js';
import { createStateBackend } from './state-backends.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { JobModuleRef } from './job-module.js';
import type { CoordinatorMessage, ExecutorMessage, TaskBufferStats } from './protocol.js';
import {
  JobExecutionError,
  aggregateByOperator,
  type JobClient,
  type JobExecutionResult,
  type JobStatus,
} from './job-client.js';
import type { AggregatedMetric } from '@runnel/metrics';

/** @internal */
export interface WorkerBootstrap {
  readonly jobRef: JobModuleRef;
  readonly config: RuntimeConfig;
  readonly slot: number;
  readonly numSlots: number;
  readonly jobId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly peers: [number, MessagePort][];
}

interface Executor {
  post(m: CoordinatorMessage): void;
  terminate(): Promise<void>;
}

const fromSource = import.meta.url.endsWith('.ts');

/**
 * How to start a worker: plain JS when the runtime is built and the job module is JavaScript; otherwise a tiny
 * bootstrap registers tsx's ESM loader in the worker first (a loader passed with `--import` does not reach worker
 * threads on Node 20), and workspace packages resolve to their sources.
 */
function workerLaunch(jobModule: string): { entry: string | URL; eval: boolean; execArgv: string[] } {
  const main = new URL(fromSource ? './worker-main.ts' : './worker-main.js', import.meta.url);
  const execArgv: string[] = [];
  for (const a of process.execArgv) if (a.startsWith('--max-old-space-size') || a.startsWith('--expose-gc')) execArgv.push(a);
  if (fromSource) execArgv.push('--conditions=@runnel/source');
  if (!fromSource && !/\.[mc]?tsx?$/.test(jobModule)) return { entry: main, eval: false, execArgv };
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const code =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(main.href)}); })` +
    `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ t: 'task-failed', v: -1, s: -1, task: 'worker startup', error: { name: e.name, message: String(e && e.message || e), stack: e && e.stack } }); });`;
  return { entry: code, eval: true, execArgv };
}

/** @internal */
export class JobCoordinator implements JobClient {
  readonly jobId = randomUUID();
  private status: JobStatus = 'created';
  private readonly executors: Executor[] = [];
  private readonly sources = new Map<number, SourceCoordinator>();
  private readonly latestMetrics = new Map<number, MetricSnapshot[]>();
  private readonly latestBuffers = new Map<number, TaskBufferStats[]>();
  private readonly collectedValues = new Map<string, unknown[]>();
  private readonly metricListeners: (() => void)[] = [];
  private readonly numSlots: number;
  private readonly totalTasks: number;
  private finishedTasks = 0;
  private readyCount = 0;
  private closedCount = 0;
  private readonly startedAt = Date.now();
  private readonly result: Promise<JobExecutionResult>;
  private resolveResult!: (r: JobExecutionResult) => void;
  private rejectResult!: (e: Error) => void;
  private allReady!: () => void;
  private allClosed: (() => void) | undefined;

  constructor(
    readonly jobName: string,
    private readonly graph: JobGraph,
    private readonly config: RuntimeConfig,
    private readonly jobRef: JobModuleRef | undefined,
  ) {
    this.numSlots = config.mode === 'local' ? 1 : Math.max(1, config.slots ?? graph.maxParallelism);
    this.totalTasks = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    this.result = new Promise<JobExecutionResult>((res, rej) => {
      this.resolveResult = res;
      this.rejectResult = rej;
    });
    this.result.catch(() => {});
  }

  /** Deploys and starts the job; resolves once every task executor runs. */
  async start(): Promise<void> {
    const ready = new Promise<void>((r) => (this.allReady = r));
    if (this.config.mode === 'local' || !this.jobRef) await this.startLocal();
    else this.startThreads(this.jobRef);
    await Promise.race([ready, this.result.then(() => undefined, () => undefined)]);
    if (this.status !== 'created') return;
    this.status = 'running';
    for (const v of this.graph.vertices) {
      if (!v.isSource || !v.head.source) continue;
      const sc = new SourceCoordinator(
        v,
        v.head.source as Source<unknown, SourceSplit, unknown>,
        (subtask, m) => this.executors[this.graph.slotOf(v.id, subtask, this.numSlots)]!.post(m),
        (e) => this.fail(undefined, e),
      );
      this.sources.set(v.id, sc);
    }
    try {
      await Promise.all([...this.sources.values()].map((s) => s.start()));
    } catch (e) {
      this.fail(undefined, e);
      return;
    }
    for (const ex of this.executors) ex.post({ t: 'start' });
  }

  private async startLocal(): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (m: ExecutorMessage) => this.handle(0, m));
    const te = new TaskExecutor({
      jobId: this.jobId,
      jobName: this.jobName,
      attempt: 0,
      graph: this.graph,
      config: this.config,
      slot: 0,
      numSlots: 1,
      control: port2,
      peers: new Map(),
      stateBackend: await createStateBackend(this.config.stateBackend),
    });
    this.executors.push({
      post: (m) => port1.postMessage(m),
      terminate: async () => {
        await te.close(true);
        port1.close();
        port2.close();
      },
    });
    te.deploy();
  }

  private startThreads(jobRef: JobModuleRef): void {
    const peers: Map<number, MessagePort>[] = Array.from({ length: this.numSlots }, () => new Map());
    for (let i = 0; i < this.numSlots; i++) {
      for (let j = i + 1; j < this.numSlots; j++) {
        const { port1, port2 } = new MessageChannel();
        peers[i]!.set(j, port1);
        peers[j]!.set(i, port2);
      }
    }
    const launch = workerLaunch(jobRef.module);
    for (let slot = 0; slot < this.numSlots; slot++) {
      const ports = [...peers[slot]!.entries()];
      const data: WorkerBootstrap = {
        jobRef,
        config: this.config,
        slot,
        numSlots: this.numSlots,
        jobId: this.jobId,
        jobName: this.jobName,
        attempt: 0,
        peers: ports,
      };
      const worker = new Worker(launch.entry, { eval: launch.eval, workerData: data, transferList: ports.map((p) => p[1]), execArgv: launch.execArgv });
      worker.on('message', (m: ExecutorMessage) => this.handle(slot, m));
      worker.on('error', (e) => this.fail(`slot ${slot}`, e));
      worker.on('exit', (code) => {
        if (this.status === 'running' || this.status === 'created') this.fail(`slot ${slot}`, new Error(`worker thread of slot ${slot} exited with code ${code}`));
      });
      this.executors.push({
        post: (m) => worker.postMessage(m),
        terminate: async () => {
          await worker.terminate();
        },
      });
    }
  }

  private handle(slot: number, m: ExecutorMessage): void {
    switch (m.t) {
      case 'ready':
        if (++this.readyCount === this.executors.length || (this.config.mode === 'local' && this.readyCount === 1)) this.allReady();
        return;
      case 'reader':
        this.sources.get(m.v)?.onReaderRegistered(m.s);
        return;
      case 'split-request':
        this.sources.get(m.v)?.onSplitRequest(m.s);
        return;
      case 'source-event':
        this.sources.get(m.v)?.onSourceEvent(m.s, m.e);
        return;
      case 'collect': {
        let l = this.collectedValues.get(m.channel);
        if (!l) this.collectedValues.set(m.channel, (l = []));
        for (const v of m.values) l.push(v);
        return;
      }
      case 'metrics':
        this.latestMetrics.set(slot, m.metrics);
        this.latestBuffers.set(slot, m.buffers);
        for (const l of this.metricListeners) l();
        return;
      case 'task-finished':
        if (++this.finishedTasks === this.totalTasks) void this.finish();
        return;
      case 'task-failed': {
        const err = new JobExecutionError(this.jobName, m.task, m.error.message, m.error.stack);
        this.fail(m.task, err);
        return;
      }
      case 'closed':
        if (++this.closedCount >= this.executors.length) this.allClosed?.();
        return;
    }
  }

  private async shutdownExecutors(message: CoordinatorMessage, waitMs: number): Promise<void> {
    const closed = new Promise<void>((r) => (this.allClosed = r));
    this.closedCount = 0;
    for (const ex of this.executors) ex.post(message);
    await Promise.race([closed, new Promise((r) => setTimeout(r, waitMs).unref?.())]);
    await Promise.all(this.executors.map((e) => e.terminate().catch(() => {})));
    await Promise.all([...this.sources.values()].map((s) => s.close().catch(() => {})));
  }

  private async finish(): Promise<void> {
    if (this.status !== 'running') return;
    this.status = 'finished';
    await this.shutdownExecutors({ t: 'shutdown' }, 5000);
    this.resolveResult({
      jobId: this.jobId,
      jobName: this.jobName,
      durationMs: Date.now() - this.startedAt,
      collected: this.collectedValues,
      metrics: this.metrics(),
      buffers: this.bufferStats(),
    });
  }

  private fail(taskName: string | undefined, error: unknown): void {
    if (this.status === 'finished' || this.status === 'failed' || this.status === 'canceled') return;
    this.status = 'failed';
    const err =
      error instanceof JobExecutionError
        ? error
        : new JobExecutionError(this.jobName, taskName, error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined);
    if (error instanceof Error && err !== error) (err as { cause?: unknown }).cause = error;
    this.allReady?.();
    void this.shutdownExecutors({ t: 'cancel' }, 2000).finally(() => this.rejectResult(err));
  }

  // ---- JobClient ----

  getStatus(): JobStatus {
    return this.status;
  }

  getJobExecutionResult(): Promise<JobExecutionResult> {
    return this.result;
  }

  async cancel(): Promise<void> {
    if (this.status === 'finished' || this.status === 'failed' || this.status === 'canceled') return;
    this.status = 'canceled';
    await this.shutdownExecutors({ t: 'cancel' }, 2000);
    this.rejectResult(new JobExecutionError(this.jobName, undefined, 'canceled'));
  }

  metrics(): MetricSnapshot[] {
    return [...this.latestMetrics.values()].flat();
  }

  operatorMetrics(): AggregatedMetric[] {
    return aggregateByOperator(this.metrics());
  }

  bufferStats(): TaskBufferStats[] {
    return [...this.latestBuffers.values()].flat();
  }

  collected(channel = 'collect'): unknown[] {
    return this.collectedValues.get(channel) ?? [];
  }

  onMetrics(listener: () => void): void {
    this.metricListeners.push(listener);
  }
}
