// The job coordinator (the job manager of the embedded MiniCluster): lays out slots, starts one TaskExecutor per
// slot on a worker thread (or one in the calling thread in local mode), connects every pair of workers with a
// MessageChannel for data, runs the split enumerators, collects metrics and results, and ends the job when all
// tasks finished — or fails it, canceling everything, when one task fails.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { CheckpointLineage, CheckpointStorage, LineageOrigin, Source, SourceSplit } from '@runnel/api';
import type { MetricSnapshot } from '@runnel/metrics';
import type { JobGraph } from '../graph/job-graph.js';
import { SourceCoordinator } from './source-coordinator.js';
import { TaskExecutor } from './task-executor.js';
import { checkStateBackend, createStateBackend } from './state-backends.js';
import { createCheckpointStorage, openCheckpoint } from './checkpoint-storages.js';
import { pluginRegistry, type PluginRegistry } from '../plugins/plugin-registry.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { JobModuleRef } from './job-module.js';
import type { CoordinatorMessage, ExecutorMessage, TaskBufferStats } from './protocol.js';
import { loadLatestValid, verifyCheckpoint, type CheckpointMetadata } from '@runnel/checkpoint';
import { MetricRegistry, createJobMetricGroup } from '@runnel/metrics';
import { CheckpointCoordinator, type CheckpointStats } from '../checkpointing/checkpoint-coordinator.js';
import { planRestore, type RestorePlan } from '../checkpointing/restore-planner.js';
import type { TaskRestoreData } from '../checkpointing/state-encoding.js';
import { RestartStrategy } from './restart-strategy.js';
import { STATE_RESTORE_ERROR, StateRestoreError } from '../checkpointing/state-restore-error.js';
import { effectiveRestartStrategy } from './runtime-config.js';
import {
  JobExecutionError,
  aggregateByOperator,
  type JobClient,
  type JobEvent,
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
  readonly restore?: TaskRestoreData[];
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
  private executors: Executor[] = [];
  private sources = new Map<number, SourceCoordinator>();
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
  private allReady: (() => void) | undefined;
  private allClosed: (() => void) | undefined;
  private attempt = 0;
  private readonly restartStrategy: RestartStrategy;
  private storage: CheckpointStorage | undefined;
  /** Plugins (state backends, checkpoint storages) installed around the job module. */
  private readonly plugins: PluginRegistry;
  private checkpoints: CheckpointCoordinator | undefined;
  private lastCheckpointId = 0;
  /** Checkpoints and savepoints completed by this job (any attempt): restarts pick the newest intact one. */
  private readonly completedIds = new Set<number>();
  private readonly registry = new MetricRegistry();
  private restarting = false;
  private readonly log: (line: string) => void;
  private readonly jobEvents: JobEvent[] = [];
  private corruptedCheckpoints = 0;
  private restoredId: number | undefined;

  constructor(
    readonly jobName: string,
    private readonly graph: JobGraph,
    private readonly config: RuntimeConfig,
    private readonly jobRef: JobModuleRef | undefined,
  ) {
    this.numSlots = config.mode === 'local' ? 1 : Math.max(1, config.slots ?? graph.maxParallelism);
    this.totalTasks = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    this.plugins = pluginRegistry(jobRef?.module);
    this.restartStrategy = new RestartStrategy(effectiveRestartStrategy(config));
    this.result = new Promise<JobExecutionResult>((res, rej) => {
      this.resolveResult = res;
      this.rejectResult = rej;
    });
    this.result.catch(() => {});
    this.log = (line) => process.stderr.write(`[runnel] ${line}\n`);
    const group = createJobMetricGroup(this.registry, { jobName, jobId: this.jobId }).addGroup('checkpointing');
    group.gauge('lastCompletedCheckpointId', () => this.checkpoints?.lastCompleted?.id ?? -1);
    group.gauge('lastCheckpointDuration', () => this.checkpoints?.lastCompleted?.durationMs ?? -1);
    group.gauge('lastCheckpointSize', () => this.checkpoints?.lastCompleted?.sizeBytes ?? -1);
    group.gauge('lastCheckpointAlignmentTime', () => this.checkpoints?.lastCompleted?.alignmentMs ?? -1);
    group.gauge('numberOfCompletedCheckpoints', () => this.checkpoints?.numCompleted ?? 0);
    group.gauge('numberOfFailedCheckpoints', () => this.checkpoints?.numFailed ?? 0);
    group.gauge('numRestarts', () => this.attempt);
    group.gauge('numberOfCorruptedCheckpoints', () => this.corruptedCheckpoints);
  }

  /** Deploys and starts the job; resolves once every task executor runs. */
  async start(): Promise<void> {
    // The backend and its options are found and checked here: an unknown one fails before any thread starts.
    await checkStateBackend(this.config, this.plugins);
    const cp = this.config.checkpoint;
    if (this.config.restore.fromLatestCheckpoint && !cp.directory) {
      throw new Error('execution.restore-from-latest-checkpoint needs state.checkpoints.dir');
    }
    if (cp.directory) {
      this.storage = await createCheckpointStorage(cp, this.plugins);
      // Checkpoints a crashed run left unfinished are removed; ids continue after the highest completed one, so
      // that checkpoint ids keep increasing across restarts (sinks rely on it to tell old attempts' files apart).
      await this.storage.cleanupIncomplete();
      for (const ref of await this.storage.listCompleted()) this.lastCheckpointId = Math.max(this.lastCheckpointId, ref.checkpointId);
    }
    else if (cp.intervalMs !== undefined) throw new Error('checkpointing is enabled (execution.checkpointing.interval) but state.checkpoints.dir is not set');
    let plan: RestorePlan | undefined;
    try {
      plan = await this.initialRestore();
      // This run's lineage: checkpoints of earlier runs in the directory are not resumed from any more.
      if (this.storage) await this.storage.writeLineage({ floor: this.lastCheckpointId, origin: this.origin ?? { kind: 'none' } });
    } catch (e) {
      this.status = 'failed';
      const err = new JobExecutionError(this.jobName, undefined, (e as Error).message);
      this.rejectResult(err);
      throw err;
    }
    await this.deploy(plan);
  }

  /** What the first attempt restored from (recorded as the origin of the directory's lineage). */
  private origin: LineageOrigin | undefined;

  /** The state the first attempt starts from: a savepoint, the latest checkpoint, or nothing. */
  private async initialRestore(): Promise<RestorePlan | undefined> {
    const r = this.config.restore;
    if (r.savepointPath) return this.savepointPlan(r.savepointPath, `savepoint ${r.savepointPath}`);
    if (r.fromLatestCheckpoint && this.storage) {
      // Resuming continues the directory's current lineage: its newest checkpoint, else what that run started from.
      const lineage = await this.storage.readLineage();
      const plan = await this.latestCheckpointPlan(r.allowNonRestoredState, false, lineage);
      if (plan || !lineage) return plan;
      const o = lineage.origin;
      if (o.kind === 'savepoint') {
        return this.savepointPlan(o.path, `savepoint ${o.path} (the run that started from it took no checkpoint before it ended)`);
      }
      if (o.kind === 'checkpoint') {
        const again = await this.latestCheckpointPlan(r.allowNonRestoredState, false, { floor: o.checkpointId - 1, origin: o }, o.checkpointId);
        if (!again) {
          throw new Error(
            `cannot resume from ${this.config.checkpoint.directory}: the last run started from checkpoint ${o.checkpointId} and took no checkpoint, ` +
              'and that checkpoint is gone; start from a savepoint, or without --resume',
          );
        }
        return again;
      }
    }
    return undefined;
  }

  private async savepointPlan(path: string, description: string): Promise<RestorePlan> {
    const r = this.config.restore;
    const sp = await openCheckpoint(path, this.config.checkpoint, this.plugins);
    // Every byte it references is read and checked before anything is restored.
    const { metadata } = await verifyCheckpoint(sp.storage, sp.ref);
    const plan = await this.plan(metadata, (h) => sp.storage.readState(sp.ref, h), r.allowNonRestoredState, description);
    this.origin ??= { kind: 'savepoint', path: sp.storage.pointerOf(sp.ref), checkpointId: metadata.checkpointId };
    return plan;
  }

  /**
   * The newest intact checkpoint in the directory; with `onlyThisJob`, only among the checkpoints this job completed
   * (after a failure the job must not pick up a checkpoint another run left in the same directory); with a
   * lineage, only among those of its run (above its floor), or only `exactly` that one.
   */
  private async latestCheckpointPlan(allowNonRestored: boolean, onlyThisJob = false, lineage?: CheckpointLineage, exactly?: number): Promise<RestorePlan | undefined> {
    const all = this.storage!;
    const storage: typeof all =
      onlyThisJob || lineage
        ? (Object.assign(Object.create(all), {
            listCompleted: async () =>
              (await all.listCompleted()).filter((r) =>
                onlyThisJob
                  ? r.kind === 'checkpoint' && this.completedIds.has(r.checkpointId)
                  : r.checkpointId > lineage!.floor && (exactly === undefined || r.checkpointId === exactly),
              ),
          }) as typeof all)
        : all;
    const latest = await loadLatestValid(storage, {
      onCorrupted: (ref: { checkpointId: number }, error: Error) => {
        this.corruptedCheckpoints++;
        this.event('checkpoint-corrupted', `checkpoint ${ref.checkpointId} failed verification and is skipped: ${error.message}`, ref.checkpointId);
      },
    });
    if (!latest) return undefined;
    this.origin ??= { kind: 'checkpoint', checkpointId: latest.metadata.checkpointId };
    return this.plan(latest.metadata, (h) => storage.readState(latest.ref, h), allowNonRestored, `checkpoint ${latest.metadata.checkpointId} in ${this.config.checkpoint.directory}`);
  }

  private async plan(meta: CheckpointMetadata, read: (h: import('@runnel/api').StateHandle) => Promise<Uint8Array>, allow: boolean, description: string): Promise<RestorePlan> {
    const plan = await planRestore(this.graph, meta, read, allow, description);
    this.lastCheckpointId = Math.max(this.lastCheckpointId, meta.checkpointId);
    this.restoredId = meta.checkpointId;
    this.event('restored', `restoring from ${description}`, meta.checkpointId);
    return plan;
  }

  private async deploy(plan: RestorePlan | undefined): Promise<void> {
    this.readyCount = 0;
    this.finishedTasks = 0;
    const ready = new Promise<void>((r) => (this.allReady = r));
    if (this.config.mode === 'local' || !this.jobRef) await this.startLocal(plan);
    else this.startThreads(this.jobRef, plan);
    await Promise.race([ready, this.result.then(() => undefined, () => undefined)]);
    if (this.status !== 'created' && this.status !== 'running') return;
    this.status = 'running';
    this.sources = new Map();
    for (const v of this.graph.vertices) {
      if (!v.isSource || !v.head.source) continue;
      const sc = new SourceCoordinator(
        v,
        v.head.source as Source<unknown, SourceSplit, unknown>,
        (subtask, m) => this.executors[this.graph.slotOf(v.id, subtask, this.numSlots)]?.post(m),
        (e) => this.onFailure(undefined, e),
      );
      this.sources.set(v.id, sc);
    }
    try {
      await Promise.all([...this.sources.entries()].map(([vid, s]) => s.start(plan?.coordinators.get(vid))));
    } catch (e) {
      this.onFailure(undefined, e);
      return;
    }
    if (this.storage) {
      this.checkpoints = new CheckpointCoordinator(
        {
          jobName: this.jobName,
          graph: this.graph,
          broadcast: (m) => {
            for (const ex of this.executors) ex.post(m);
          },
          snapshotCoordinators: (id) => new Map([...this.sources.entries()].map(([vid, sc]) => [vid, sc.snapshotState(id)])),
          notifyCoordinatorsComplete: (id) => {
            for (const sc of this.sources.values()) sc.notifyCheckpointComplete(id);
          },
          onCompleted: (stats) => {
            if (stats.kind === 'checkpoint') this.completedIds.add(stats.id);
          },
          fail: (e) => this.onFailure(undefined, e),
        },
        this.config.checkpoint,
        this.storage,
        this.lastCheckpointId,
      );
    }
    for (const ex of this.executors) ex.post({ t: 'start' });
    this.checkpoints?.start();
  }

  private async startLocal(plan: RestorePlan | undefined): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (m: ExecutorMessage) => this.handle(0, m));
    const te = new TaskExecutor({
      jobId: this.jobId,
      jobName: this.jobName,
      attempt: this.attempt,
      graph: this.graph,
      config: this.config,
      slot: 0,
      numSlots: 1,
      control: port2,
      peers: new Map(),
      stateBackend: await createStateBackend(this.config, this.plugins),
      restore: plan?.tasks,
    });
    this.executors = [
      {
        post: (m) => port1.postMessage(m),
        terminate: async () => {
          await te.close(true);
          port1.close();
          port2.close();
        },
      },
    ];
    te.deploy();
  }

  private startThreads(jobRef: JobModuleRef, plan: RestorePlan | undefined): void {
    const peers: Map<number, MessagePort>[] = Array.from({ length: this.numSlots }, () => new Map());
    for (let i = 0; i < this.numSlots; i++) {
      for (let j = i + 1; j < this.numSlots; j++) {
        const { port1, port2 } = new MessageChannel();
        peers[i]!.set(j, port1);
        peers[j]!.set(i, port2);
      }
    }
    const launch = workerLaunch(jobRef.module);
    const executors: Executor[] = [];
    const attempt = this.attempt;
    for (let slot = 0; slot < this.numSlots; slot++) {
      const ports = [...peers[slot]!.entries()];
      // Each worker receives only the restore data of the subtasks it hosts.
      const restore = plan?.tasks.filter((t) => {
        const node = [...this.graph.streamGraph.nodes.values()].find((n) => n.uid === t.uid)!;
        return this.graph.slotOf(this.graph.vertexOf(node.id).id, t.subtask, this.numSlots) === slot;
      });
      const data: WorkerBootstrap = {
        jobRef,
        config: this.config,
        slot,
        numSlots: this.numSlots,
        jobId: this.jobId,
        jobName: this.jobName,
        attempt,
        peers: ports,
        restore,
      };
      const worker = new Worker(launch.entry, { eval: launch.eval, workerData: data, transferList: ports.map((p) => p[1]), execArgv: launch.execArgv });
      worker.on('message', (m: ExecutorMessage) => {
        if (this.attempt === attempt) this.handle(slot, m);
      });
      worker.on('error', (e) => {
        if (this.attempt === attempt) this.onFailure(`slot ${slot}`, e);
      });
      worker.on('exit', (code) => {
        if (this.attempt === attempt && (this.status === 'running' || this.status === 'created') && !this.restarting) {
          this.onFailure(`slot ${slot}`, new Error(`worker thread of slot ${slot} exited with code ${code}`));
        }
      });
      executors.push({
        post: (m) => worker.postMessage(m),
        terminate: async () => {
          await worker.terminate();
        },
      });
    }
    this.executors = executors;
  }

  private handle(slot: number, m: ExecutorMessage): void {
    // After cancel or failure nothing may complete a checkpoint (sinks would commit).
    if ((m.t === 'ack' || m.t === 'decline') && (this.status !== 'running' || this.restarting)) return;
    switch (m.t) {
      case 'ready':
        if (++this.readyCount === this.executors.length) this.allReady?.();
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
      case 'ack':
        this.checkpoints?.onAck(m.v, m.s, m.id, m.operators, m.alignmentMs, m.syncMs, m.asyncMs);
        return;
      case 'decline':
        this.checkpoints?.onDecline(m.id, m.error.message, m.finishing);
        return;
      case 'task-finished':
        if (++this.finishedTasks === this.totalTasks) void this.finish();
        return;
      case 'task-failed':
        this.onFailure(m.task, new JobExecutionError(this.jobName, m.task, m.error.message, m.error.stack), m.error.name === STATE_RESTORE_ERROR);
        return;
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
    this.checkpoints?.stop();
    await this.shutdownExecutors({ t: 'shutdown' }, 5000);
    await this.registry.close();
    this.resolveResult({
      jobId: this.jobId,
      jobName: this.jobName,
      durationMs: Date.now() - this.startedAt,
      collected: this.collectedValues,
      metrics: this.metrics(),
      buffers: this.bufferStats(),
      restarts: this.attempt,
      checkpoints: this.checkpointHistory(),
      events: this.jobEvents,
    });
  }

  /**
   * A task or the coordination failed: restart from the latest checkpoint if the strategy allows, else fail. A
   * restore that cannot succeed (`unrestorable`: state the job cannot read) fails the job at once: restarting would
   * restore the same checkpoint and fail the same way, forever.
   */
  private onFailure(taskName: string | undefined, error: unknown, unrestorable = error instanceof Error && error.name === STATE_RESTORE_ERROR): void {
    if (this.status !== 'running' && this.status !== 'created') return;
    if (this.restarting) return;
    let err =
      error instanceof JobExecutionError
        ? error
        : new JobExecutionError(this.jobName, taskName, error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined);
    if (error instanceof Error && err !== error) (err as { cause?: unknown }).cause = error;
    if (unrestorable) {
      const from = this.restoredId !== undefined ? `checkpoint ${this.restoredId}` : 'the checkpoint or savepoint';
      err = new JobExecutionError(
        this.jobName,
        taskName,
        `${err.message.replace(/^job '.*?' failed( in task .*?)?: /, '')}\n  restoring from ${from} cannot succeed by retrying; the job fails instead of restarting`,
        err.remoteStack,
      );
    }
    const delay = this.status === 'running' && !unrestorable ? this.restartStrategy.onFailure() : undefined;
    if (delay === undefined) {
      this.status = 'failed';
      this.jobEvents.push({ type: 'failed', timestamp: Date.now(), message: err.message });
      this.checkpoints?.stop();
      this.allReady?.();
      void this.shutdownExecutors({ t: 'cancel' }, 2000)
        .then(() => this.registry.close())
        .finally(() => this.rejectResult(err));
      return;
    }
    this.restarting = true;
    this.event('restarting', `${err.message}; restarting in ${delay} ms (${this.restartStrategy.describe()}, attempt ${this.attempt + 1})`);
    void (async () => {
      try {
        this.checkpoints?.stop();
        this.lastCheckpointId = Math.max(this.lastCheckpointId, this.checkpoints?.lastUsedId ?? 0);
        await this.shutdownExecutors({ t: 'cancel' }, 2000);
        await new Promise((r) => setTimeout(r, delay));
        if (this.status !== 'running') return;
        this.attempt++;
        this.latestMetrics.clear();
        this.latestBuffers.clear();
        this.restoredId = undefined;
        // The newest checkpoint this job completed; before its first one, what the job started from (its savepoint
        // or initial checkpoint) — never an unrelated checkpoint of another run, never nothing when it had state.
        let plan: RestorePlan | undefined;
        try {
          plan = this.storage ? await this.latestCheckpointPlan(this.config.restore.allowNonRestoredState, true) : undefined;
          if (!plan) plan = await this.initialRestore();
        } catch (e) {
          // The checkpoint's metadata does not fit the job: the same on every attempt.
          throw e instanceof StateRestoreError ? e : new StateRestoreError((e as Error).message, { cause: e });
        }
        this.status = 'created';
        this.restarting = false;
        await this.deploy(plan);
      } catch (e) {
        this.restarting = false;
        this.status = 'running';
        this.onFailure(undefined, e);
      }
    })();
  }

  // ---- JobClient ----

  getStatus(): JobStatus {
    return this.restarting ? 'restarting' : this.status;
  }

  getJobExecutionResult(): Promise<JobExecutionResult> {
    return this.result;
  }

  async cancel(): Promise<void> {
    if (this.status === 'finished' || this.status === 'failed' || this.status === 'canceled') return;
    this.status = 'canceled';
    this.checkpoints?.stop();
    await this.shutdownExecutors({ t: 'cancel' }, 2000);
    await this.registry.close();
    this.rejectResult(new JobExecutionError(this.jobName, undefined, 'canceled'));
  }

  async triggerCheckpoint(): Promise<CheckpointStats> {
    if (!this.checkpoints || this.status !== 'running') throw new Error('checkpoints need a running job and state.checkpoints.dir');
    return this.checkpoints.trigger('checkpoint');
  }

  async triggerSavepoint(targetDirectory?: string): Promise<string> {
    if (!this.checkpoints || this.status !== 'running') throw new Error('savepoints need a running job and state.checkpoints.dir (or state.savepoints.dir)');
    const s = await this.checkpoints.trigger('savepoint', { targetDirectory: targetDirectory ?? this.defaultSavepointDirectory() });
    return s.path!;
  }

  async stopWithSavepoint(targetDirectory?: string, options: { drain?: boolean } = {}): Promise<string> {
    if (!this.checkpoints || this.status !== 'running') throw new Error('stop-with-savepoint needs a running job and state.checkpoints.dir');
    const s = await this.checkpoints.trigger('savepoint', {
      targetDirectory: targetDirectory ?? this.defaultSavepointDirectory(),
      stop: { drain: options.drain ?? false },
    });
    await this.result.catch(() => undefined);
    return s.path!;
  }

  /**
   * `state.savepoints.dir` is a parent directory (as in Flink): every savepoint gets a new directory inside it. An
   * explicit target given to triggerSavepoint/stopWithSavepoint is the savepoint's own (new or empty) directory.
   * Without either, savepoints go into the checkpoint directory.
   */
  private defaultSavepointDirectory(): string | undefined {
    const parent = this.config.checkpoint.savepointDirectory;
    if (parent === undefined) return undefined;
    return join(parent, `savepoint-${this.jobId.slice(0, 6)}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`);
  }

  checkpointHistory(): CheckpointStats[] {
    return this.checkpoints?.getHistory() ?? [];
  }

  restoredCheckpointId(): number | undefined {
    return this.restoredId;
  }

  events(): readonly JobEvent[] {
    return this.jobEvents;
  }

  /** Records a job event and writes it as a log line. */
  private event(type: JobEvent['type'], message: string, checkpointId?: number): void {
    this.jobEvents.push({ type, timestamp: Date.now(), message, checkpointId });
    this.log(message);
  }

  metrics(): MetricSnapshot[] {
    return [...[...this.latestMetrics.values()].flat(), ...this.registry.snapshot()];
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
