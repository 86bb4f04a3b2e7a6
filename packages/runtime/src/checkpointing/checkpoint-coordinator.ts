// The checkpoint coordinator (on the client thread): triggers checkpoints at the configured interval and on demand
// (savepoints), snapshots the split enumerators first, injects barriers at the sources, collects every subtask's
// acknowledgement with its encoded state, writes the state files and — last, atomically — the metadata, and only
// then tells the tasks that the checkpoint is complete (sinks commit on that). Timeouts, declines and the number
// of tolerable failures are enforced here.
//
// Incremental checkpoints: the coordinator picks the base of each checkpoint (the newest completed checkpoint,
// unless a chain reached `max-chain-length`) and sends it with the barrier, so every task agrees on it. A task that
// can build on the base sends a delta; the subtask's chain is then the base's chain plus the delta, listed in order
// in the metadata. Keyed-state files of checkpoints go to the storage's shared directory, where they outlive the
// checkpoint that wrote them while a retained checkpoint (or the base of one in flight) still references them.
import { randomUUID } from 'node:crypto';
import type { CheckpointLocation, CheckpointStorage, StateHandle } from '@runnel/api';
import { encodeMetadata, type CheckpointMetadata, type OperatorSnapshotMeta } from '@runnel/checkpoint';
import type { JobGraph } from '../graph/job-graph.js';
import type { CheckpointConfig } from '../execution/runtime-config.js';
import type { CoordinatorMessage } from '../execution/protocol.js';
import type { EncodedOperatorState } from './state-encoding.js';
import { BARRIER_CHECKPOINT, BARRIER_SAVEPOINT, barrierPayload, FINAL_CHECKPOINT } from '../execution/task.js';

/**
 * Statistics of one checkpoint or savepoint.
 *
 * @public
 */
export interface CheckpointStats {
  readonly id: number;
  readonly kind: 'checkpoint' | 'savepoint';
  readonly status: 'in-progress' | 'completed' | 'failed';
  readonly triggeredAt: number;
  readonly durationMs?: number;
  /** Bytes written by this checkpoint (for an incremental one: its deltas and other new files). */
  readonly sizeBytes?: number;
  /** Bytes of all files the checkpoint references, earlier checkpoints' shared files included. */
  readonly fullSizeBytes?: number;
  /** Whether keyed state was written as deltas on top of an earlier checkpoint (by at least one subtask). */
  readonly incremental?: boolean;
  readonly alignmentMs?: number;
  /** Longest synchronous part (capture at the barrier) of any subtask. */
  readonly syncMs?: number;
  /** Longest asynchronous part (encoding off the barrier) of any subtask. */
  readonly asyncMs?: number;
  readonly path?: string;
  readonly failure?: string;
}

/** @internal */
export interface CheckpointHost {
  readonly jobName: string;
  readonly graph: JobGraph;
  /** Sends a message to every executor. */
  broadcast(message: CoordinatorMessage): void;
  /** Snapshots of the split enumerators, per source vertex id. */
  snapshotCoordinators(checkpointId: number): Map<number, { serializer: { id: string; version: number }; bytes: Uint8Array }>;
  notifyCoordinatorsComplete(checkpointId: number): void;
  /** A checkpoint or savepoint completed (the job restarts from the newest of these). */
  onCompleted?(stats: CheckpointStats): void;
  /** The job must fail (too many checkpoint failures). */
  fail(error: Error): void;
}

/** One keyed-state file of a subtask's chain. */
interface ChainLink {
  readonly start: number;
  readonly end: number;
  readonly handle: StateHandle;
  readonly index: [number, number, number][];
}

/** Per `uid/subtask`, the keyed-state files of a completed checkpoint, base first. */
type Chains = Map<string, ChainLink[]>;

interface Pending {
  readonly id: number;
  /** The completed checkpoint that deltas of this one build on; -1 for full snapshots only. */
  readonly base: number;
  readonly chains: Chains;
  incremental: boolean;
  readonly kind: 'checkpoint' | 'savepoint';
  readonly triggeredAt: number;
  readonly location: CheckpointLocation;
  readonly acked: Set<string>;
  readonly writes: Promise<void>[];
  readonly operators: Map<string, OperatorSnapshotMeta>;
  /** Per operator uid, the lowest watermark its subtasks reported. */
  readonly watermarks: Map<string, number>;
  size: number;
  alignmentMs: number;
  syncMs: number;
  asyncMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly resolve: (s: CheckpointStats) => void;
  readonly reject: (e: Error) => void;
  done: boolean;
  /**
   * The metadata is being written: the checkpoint can no longer be aborted (an abort would delete its state files
   * while the metadata lands, leaving a "completed" checkpoint without state). It completes, or fails on its own.
   */
  finalizing: boolean;
  /** The final checkpoint, taken when the tasks end their input. */
  readonly final: boolean;
}

/** @internal */
export class CheckpointCoordinator {
  private nextId: number;
  private readonly pending = new Map<number, Pending>();
  private readonly history: CheckpointStats[] = [];
  private periodic: ReturnType<typeof setTimeout> | undefined;
  private lastCompletedAt = Number.NEGATIVE_INFINITY;
  private consecutiveFailures = 0;
  private stopped = false;
  /** Once a task finished, no further checkpoints can complete (its acknowledgement cannot come). */
  private taskFinished = false;
  /** The trigger being started, if any: the next one waits for it (ids broadcast in increasing order). */
  private triggers: Promise<void> = Promise.resolve();
  /** Triggers taken but not yet pending (their location is being created). */
  private starting = 0;
  private finalPending: Promise<Pending> | undefined;
  /** Keyed-state chains of completed checkpoints that are (or may become) bases: the newest, and those in use. */
  private readonly completedChains = new Map<number, Chains>();
  private newestCompletedCheckpoint = -1;
  readonly expectedAcks: number;
  lastCompleted: CheckpointStats | undefined;
  numCompleted = 0;
  numFailed = 0;

  constructor(
    private readonly host: CheckpointHost,
    private readonly config: CheckpointConfig,
    private readonly storage: CheckpointStorage,
    lastId: number,
  ) {
    this.nextId = lastId + 1;
    this.expectedAcks = host.graph.vertices.reduce((n, v) => n + v.parallelism, 0);
  }

  /** Starts periodic checkpoints (if an interval is configured). */
  start(): void {
    if (this.config.intervalMs === undefined) return;
    this.schedule(this.config.intervalMs);
  }

  private schedule(delay: number): void {
    if (this.stopped || this.taskFinished || this.config.intervalMs === undefined) return;
    clearTimeout(this.periodic);
    this.periodic = setTimeout(() => this.periodicTrigger(), Math.max(0, delay));
  }

  private periodicTrigger(): void {
    const interval = this.config.intervalMs!;
    const sincePause = Date.now() - this.lastCompletedAt;
    if (this.pending.size + this.starting >= this.config.maxConcurrent || sincePause < this.config.minPauseMs) {
      this.schedule(Math.max(50, this.config.minPauseMs - sincePause));
      return;
    }
    this.trigger('checkpoint').catch(() => {});
    this.schedule(interval);
  }

  /**
   * Triggers a checkpoint or savepoint; resolves when it is complete. Triggers are started one after another: an id
   * is taken, its location created (a savepoint's directory can take longer than a checkpoint's) and its barriers
   * broadcast before the next trigger takes an id, so that sources always inject barriers in increasing id order.
   * Out of order, a periodic checkpoint overtook a stop-with-savepoint's barriers: tasks saw barrier 6 before 5, and
   * a sink could commit the savepoint's files on checkpoint 6 (campaign seed 300058 hung on it).
   */
  async trigger(kind: 'checkpoint' | 'savepoint', options: { targetDirectory?: string; stop?: { drain: boolean } } = {}): Promise<CheckpointStats> {
    this.starting++;
    const started = this.triggers.then(() => this.startTrigger(kind, options));
    this.triggers = started.then(
      () => void this.starting--,
      () => void this.starting--,
    );
    const { done } = await started;
    return done;
  }

  /** Takes the next id, creates the location and broadcasts the barriers (one trigger at a time, see `trigger`). */
  private async startTrigger(kind: 'checkpoint' | 'savepoint', options: { targetDirectory?: string; stop?: { drain: boolean } }): Promise<{ done: Promise<CheckpointStats> }> {
    // Checked here, when this trigger's turn comes: the job may have stopped, or a task finished, meanwhile.
    if (this.stopped) throw new Error('checkpointing is stopped (the job is not running)');
    if (this.taskFinished) throw new Error('a task of the job has finished; no further checkpoints can be taken');
    const { pending: p, done } = await this.createPending(kind, options.targetDirectory, false, this.baseFor(kind));
    try {
      this.writeCoordinatorStates(p);
    } catch (e) {
      this.abort(p, e as Error);
      return { done };
    }
    this.host.broadcast({ t: 'trigger', id: p.id, kind: barrierPayload(kind === 'savepoint' ? BARRIER_SAVEPOINT : BARRIER_CHECKPOINT, p.base), stop: options.stop });
    return { done };
  }

  /** The base of a new checkpoint: the newest completed one, unless incremental is off or a chain is long enough. */
  private baseFor(kind: 'checkpoint' | 'savepoint'): number {
    if (!this.config.incremental || kind === 'savepoint') return -1;
    const chains = this.completedChains.get(this.newestCompletedCheckpoint);
    if (chains === undefined) return -1;
    for (const chain of chains.values()) if (chain.length >= this.config.maxChainLength) return -1;
    return this.newestCompletedCheckpoint;
  }

  private async createPending(
    kind: 'checkpoint' | 'savepoint',
    targetDirectory: string | undefined,
    final: boolean,
    base = -1,
  ): Promise<{ pending: Pending; done: Promise<CheckpointStats> }> {
    const id = this.nextId++;
    const location = kind === 'savepoint' ? await this.storage.beginSavepoint(id, targetDirectory) : await this.storage.beginCheckpoint(id, 'checkpoint');
    let pending!: Pending;
    const done = new Promise<CheckpointStats>((resolve, reject) => {
      pending = {
        id,
        base,
        chains: new Map(),
        incremental: false,
        kind,
        triggeredAt: Date.now(),
        location,
        acked: new Set(),
        writes: [],
        operators: new Map(),
        watermarks: new Map(),
        size: 0,
        alignmentMs: 0,
        syncMs: 0,
        asyncMs: 0,
        // The final checkpoint has no timeout: it completes when the last task ends its input.
        timer: final ? undefined : setTimeout(() => this.abort(pending, new Error(`checkpoint ${id} expired after ${this.config.timeoutMs} ms`)), this.config.timeoutMs),
        resolve,
        reject,
        done: false,
        finalizing: false,
        final,
      };
    });
    done.catch(() => {});
    this.pending.set(id, pending);
    return { pending, done };
  }

  /** Split enumerators are snapshotted before the barriers are injected (FLIP-27's order). */
  private writeCoordinatorStates(p: Pending): void {
    for (const [vertexId, state] of this.host.snapshotCoordinators(p.id)) {
      const v = this.host.graph.vertices[vertexId]!;
      const meta = this.operatorMeta(p, v.head.uid);
      p.writes.push(
        p.location.writeState(`${fileName(v.head.uid)}-coordinator`, state.bytes).then((handle) => {
          meta.coordinatorState = { serializer: state.serializer, handle };
          p.size += handle.size;
        }),
      );
    }
  }

  /** A task ended its input and sent its final snapshot. */
  private onFinalAck(vertex: number, subtask: number, operators: readonly EncodedOperatorState[]): void {
    if (this.stopped) return;
    this.onTaskFinished();
    this.finalPending ??= this.createPending('checkpoint', undefined, true).then((r) => {
      r.done.catch((e) => this.host.fail(e as Error));
      return r.pending;
    });
    this.finalPending.then(
      (p) => this.onAck(vertex, subtask, p.id, operators, 0),
      (e) => this.host.fail(new Error(`the final checkpoint could not be started: ${(e as Error).message}`)),
    );
  }

  private operatorMeta(p: Pending, uid: string): { -readonly [K in keyof OperatorSnapshotMeta]: OperatorSnapshotMeta[K] } {
    let m = p.operators.get(uid);
    if (!m) {
      const node = [...this.host.graph.streamGraph.nodes.values()].find((n) => n.uid === uid)!;
      const v = this.host.graph.vertexOf(node.id);
      m = { uid, name: node.name, parallelism: v.parallelism, maxParallelism: node.maxParallelism, keyedStates: [], keyGroupHandles: [], operatorStates: [], operatorStateHandles: [] };
      p.operators.set(uid, m);
    }
    return m as { -readonly [K in keyof OperatorSnapshotMeta]: OperatorSnapshotMeta[K] };
  }

  onAck(vertex: number, subtask: number, id: number, operators: readonly EncodedOperatorState[], alignmentMs: number, syncMs = 0, asyncMs = 0): void {
    if (id === FINAL_CHECKPOINT) {
      this.onFinalAck(vertex, subtask, operators);
      return;
    }
    const p = this.pending.get(id);
    if (!p || p.done) return;
    p.acked.add(`${vertex}/${subtask}`);
    p.alignmentMs = Math.max(p.alignmentMs, alignmentMs);
    p.syncMs = Math.max(p.syncMs, syncMs);
    p.asyncMs = Math.max(p.asyncMs, asyncMs);
    const v = this.host.graph.vertices[vertex]!;
    for (const o of operators) {
      const meta = this.operatorMeta(p, o.uid);
      p.watermarks.set(o.uid, Math.min(p.watermarks.get(o.uid) ?? Number.POSITIVE_INFINITY, o.watermark ?? Number.NEGATIVE_INFINITY));
      if (o.keyed) {
        const keyed = o.keyed;
        if (meta.keyedStates.length === 0) meta.keyedStates = keyed.states;
        else for (const st of keyed.states) if (!meta.keyedStates.some((x) => x.name === st.name)) meta.keyedStates = [...meta.keyedStates, st];
        const range = rangeOf(meta.maxParallelism, v.parallelism, subtask);
        const chainKey = `${o.uid}/${subtask}`;
        let baseChain: ChainLink[] = [];
        if (keyed.base !== undefined) {
          const chain = keyed.base === p.base ? this.completedChains.get(p.base)?.get(chainKey) : undefined;
          if (chain === undefined) {
            this.abort(p, new Error(`subtask ${subtask} of operator ${o.uid} sent a delta on checkpoint ${keyed.base}, whose keyed state is not known (base of checkpoint ${id}: ${p.base})`));
            return;
          }
          baseChain = chain;
          p.incremental = true;
        }
        // Checkpoints of an incremental job keep keyed state in the shared directory (a later delta may build on
        // it after this checkpoint is discarded); the random part keeps a retried id from colliding with a leftover.
        const name = this.config.incremental && p.kind === 'checkpoint' ? `shared/${fileName(o.uid)}-${subtask}-keyed-${id}-${randomUUID().slice(0, 8)}` : `${fileName(o.uid)}-${subtask}-keyed`;
        p.writes.push(
          p.location.writeState(name, keyed.bytes).then((handle) => {
            const chain = [...baseChain, { start: range.start, end: range.end, handle, index: keyed.index }];
            p.chains.set(chainKey, chain);
            for (const link of chain) (meta.keyGroupHandles as unknown[]).push(link);
            p.size += handle.size;
          }),
        );
      }
      if (o.operatorState) {
        const os = o.operatorState;
        for (const st of os.states) {
          if (!meta.operatorStates.some((x) => x.name === st.name)) {
            meta.operatorStates = [...meta.operatorStates, { name: st.name, mode: st.mode, serializer: { id: 'runnel.generic', version: 1 } }];
          }
        }
        p.writes.push(
          p.location.writeState(`${fileName(o.uid)}-${subtask}-operator`, os.bytes).then((handle: StateHandle) => {
            (meta.operatorStateHandles as unknown[]).push({ subtask, handle });
            p.size += handle.size;
          }),
        );
      }
    }
    if (p.acked.size === this.expectedAcks) void this.complete(p);
  }

  /** `finishing`: the task is ending its input — not a failure, but this checkpoint cannot complete. */
  onDecline(id: number, reason: string, finishing = false): void {
    if (finishing) this.onTaskFinished();
    const p = this.pending.get(id);
    if (p && !p.done) this.abort(p, new Error(`checkpoint ${id} declined: ${reason}`));
  }

  private async complete(p: Pending): Promise<void> {
    try {
      // The final checkpoint records the enumerators once every source has ended (nothing left to assign).
      if (p.final) this.writeCoordinatorStates(p);
      await Promise.all(p.writes);
      if (p.done) return;
      const meta: CheckpointMetadata = {
        format: 'runnel-checkpoint',
        version: 1,
        checkpointId: p.id,
        kind: p.kind,
        jobName: this.host.jobName,
        timestamp: p.triggeredAt,
        operators: [...p.operators.values()].map((m) => ({
          ...m,
          keyGroupHandles: [...m.keyGroupHandles].sort((a, b) => a.start - b.start),
          operatorStateHandles: [...m.operatorStateHandles].sort((a, b) => a.subtask - b.subtask),
          ...recordedWatermark(p.watermarks.get(m.uid)),
        })),
      };
      p.finalizing = true;
      await p.location.writeMetadata(encodeMetadata(meta));
      if (p.done) return;
      p.done = true;
      clearTimeout(p.timer);
      this.pending.delete(p.id);
      if (p.kind === 'checkpoint') {
        this.completedChains.set(p.id, p.chains);
        if (p.id > this.newestCompletedCheckpoint) this.newestCompletedCheckpoint = p.id;
        this.pruneChains();
        await this.storage.retain(this.protectedSharedFiles());
      }
      let fullSize = 0;
      for (const m of meta.operators) for (const h of [...m.keyGroupHandles.map((k) => k.handle), ...m.operatorStateHandles.map((o) => o.handle)]) fullSize += h.size;
      for (const m of meta.operators) if (m.coordinatorState) fullSize += m.coordinatorState.handle.size;
      const stats: CheckpointStats = {
        id: p.id,
        kind: p.kind,
        status: 'completed',
        triggeredAt: p.triggeredAt,
        durationMs: Date.now() - p.triggeredAt,
        sizeBytes: p.size,
        fullSizeBytes: fullSize,
        incremental: p.incremental,
        alignmentMs: p.alignmentMs,
        syncMs: Math.round(p.syncMs),
        asyncMs: Math.round(p.asyncMs),
        path: p.location.pointer,
      };
      this.record(stats);
      this.lastCompleted = stats;
      this.lastCompletedAt = Date.now();
      this.numCompleted++;
      this.consecutiveFailures = 0;
      this.host.onCompleted?.(stats);
      this.host.broadcast({ t: 'checkpoint-complete', id: p.id, final: p.final });
      this.host.notifyCoordinatorsComplete(p.id);
      p.resolve(stats);
    } catch (e) {
      p.finalizing = false;
      this.abort(p, e as Error);
    }
  }

  /** Keeps the chains that can still serve as a base: the newest completed checkpoint's and those of checkpoints in flight. */
  private pruneChains(): void {
    const keep = new Set([this.newestCompletedCheckpoint, ...[...this.pending.values()].map((p) => p.base)]);
    for (const id of this.completedChains.keys()) if (!keep.has(id)) this.completedChains.delete(id);
  }

  /** Files that checkpoints in flight build on: retention must keep them even if their checkpoint goes. */
  private protectedSharedFiles(): string[] {
    const out: string[] = [];
    for (const p of this.pending.values()) {
      const chains = p.base >= 0 ? this.completedChains.get(p.base) : undefined;
      if (chains) for (const chain of chains.values()) for (const link of chain) out.push(link.handle.ref);
    }
    return out;
  }

  private abort(p: Pending, error: Error): void {
    // A checkpoint writing its metadata is past the point of no return (see `finalizing`).
    if (p.done || p.finalizing) return;
    p.done = true;
    clearTimeout(p.timer);
    this.pending.delete(p.id);
    void p.location.abort().catch(() => {});
    this.host.broadcast({ t: 'checkpoint-aborted', id: p.id });
    this.record({ id: p.id, kind: p.kind, status: 'failed', triggeredAt: p.triggeredAt, durationMs: Date.now() - p.triggeredAt, failure: error.message });
    p.reject(error);
    if (p.kind === 'checkpoint' && !this.stopped && !this.taskFinished) {
      this.numFailed++;
      if (++this.consecutiveFailures > this.config.tolerableFailures) {
        this.host.fail(new Error(`exceeded the number of tolerable failed checkpoints (${this.config.tolerableFailures}): ${error.message}`));
      }
    }
  }

  private record(s: CheckpointStats): void {
    const i = this.history.findIndex((h) => h.id === s.id);
    if (i >= 0) this.history[i] = s;
    else this.history.push(s);
    if (this.history.length > 100) this.history.shift();
  }

  /** Some task finished: pending checkpoints cannot complete any more. */
  onTaskFinished(): void {
    if (this.taskFinished) return;
    this.taskFinished = true;
    clearTimeout(this.periodic);
    for (const p of [...this.pending.values()]) if (p.kind === 'checkpoint' && !p.final) this.abort(p, new Error('a task finished before the checkpoint completed'));
  }

  getHistory(): CheckpointStats[] {
    const inProgress = [...this.pending.values()].map((p): CheckpointStats => ({ id: p.id, kind: p.kind, status: 'in-progress', triggeredAt: p.triggeredAt }));
    return [...this.history, ...inProgress];
  }

  /** The highest checkpoint id used so far (ids keep increasing across restarts). */
  get lastUsedId(): number {
    return this.nextId - 1;
  }

  /** Stops triggering and aborts what is pending; idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.periodic);
    for (const p of [...this.pending.values()]) this.abort(p, new Error('the job stopped'));
  }
}

/** The metadata field of an operator's watermark: none below any timestamp, the end of time as MAX_VALUE (JSON). */
function recordedWatermark(w: number | undefined): { watermark?: number } {
  if (w === undefined || w === Number.NEGATIVE_INFINITY || Number.isNaN(w)) return {};
  return { watermark: w === Number.POSITIVE_INFINITY ? Number.MAX_VALUE : w };
}

function rangeOf(maxParallelism: number, parallelism: number, subtask: number): { start: number; end: number } {
  return { start: Math.ceil((subtask * maxParallelism) / parallelism), end: Math.ceil(((subtask + 1) * maxParallelism) / parallelism) - 1 };
}

/** A file-name-safe form of an operator uid (uids are user text). */
function fileName(uid: string): string {
  return 'op-' + uid.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`);
}
