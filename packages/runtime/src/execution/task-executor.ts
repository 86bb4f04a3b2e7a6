// The TaskExecutor hosts the subtasks of one slot (one worker thread; or every subtask, in local mode). It
// builds them from the job graph, wires channels — local channels are direct calls, remote ones go over a
// MessagePort per peer thread with transferred ArrayBuffers — runs them cooperatively, and reports to the
// coordinator: split requests, collected results, metrics, completion and failures.
import type { MessagePort } from 'node:worker_threads';
import type { StateBackend, SourceSplit } from '@runnel/api';
import {
  MetricRegistry,
  TimeRatioTracker,
  addOperatorMetricGroup,
  addTaskMetricGroup,
  createJobMetricGroup,
  registerTimeRatioGauges,
  type RegistryMetricGroup,
} from '@runnel/metrics';
import type { ChannelSpec, JobGraph } from '../graph/job-graph.js';
import type { StreamNode } from '../graph/stream-graph.js';
import { ChannelWriter } from '../exchange/channel-writer.js';
import { InputChannel, type InputGroup } from '../exchange/input-channel.js';
import type { SourceGateway } from '../operators/stream-operator.js';
import { Task, type TaskCheckpointAck, type TaskHost } from './task.js';
import { decodeRestore, encodeCapture, type TaskRestoreData } from '../checkpointing/state-encoding.js';
import type { OperatorRestore } from '../checkpointing/operator-snapshot.js';
import { keyGroupRangeForSubtask } from '@runnel/api';
import type { RuntimeConfig } from './runtime-config.js';
import { errorInfo, type CoordinatorMessage, type ExecutorMessage, type PeerMessage, type PortLike, type TaskBufferStats } from './protocol.js';

/** @internal */
export interface TaskExecutorOptions {
  readonly jobId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly graph: JobGraph;
  readonly config: RuntimeConfig;
  readonly slot: number;
  readonly numSlots: number;
  readonly control: PortLike;
  readonly peers: ReadonlyMap<number, MessagePort>;
  readonly stateBackend: StateBackend;
  /** State to restore, per operator uid and subtask. */
  readonly restore?: readonly TaskRestoreData[];
}

/** A slice of this many ms per task step before yielding to the event loop. */
const SLICE_MS = 4;

/** @internal */
export class TaskExecutor implements TaskHost {
  readonly jobId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly graph: JobGraph;
  readonly config: RuntimeConfig;
  readonly stateBackend: StateBackend;
  readonly tasks: Task[] = [];
  private readonly taskByKey = new Map<string, Task>();
  private readonly writers = new Map<number, ChannelWriter>();
  private readonly inputs = new Map<number, { channel: InputChannel; task: Task }>();
  private readonly ready: Task[] = [];
  private readonly queued = new Set<Task>();
  private loopScheduled = false;
  private readonly registry = new MetricRegistry();
  private readonly jobGroup: RegistryMetricGroup;
  private readonly taskGroups = new Map<Task, RegistryMetricGroup>();
  private readonly trackers = new Map<Task, TimeRatioTracker>();
  private metricsTimer: ReturnType<typeof setInterval> | undefined;
  private finishedTasks = 0;
  private closed = false;
  private readonly onControl = (m: CoordinatorMessage): void => this.handleControl(m);

  constructor(private readonly options: TaskExecutorOptions) {
    this.jobId = options.jobId;
    this.jobName = options.jobName;
    this.attempt = options.attempt;
    this.graph = options.graph;
    this.config = options.config;
    this.stateBackend = options.stateBackend;
    this.jobGroup = createJobMetricGroup(this.registry, { jobName: options.jobName, jobId: options.jobId });
  }

  private isLocal(vertex: number, subtask: number): boolean {
    return this.graph.slotOf(vertex, subtask, this.options.numSlots) === this.options.slot;
  }

  /** Creates the tasks of this slot and wires their channels; then reports ready. */
  deploy(): void {
    for (const [slot, port] of this.options.peers) {
      port.on('message', (m: PeerMessage) => this.handlePeer(m));
      void slot;
    }
    this.options.control.on('message', this.onControl);
    for (const v of this.graph.vertices) {
      for (let s = 0; s < v.parallelism; s++) {
        if (!this.isLocal(v.id, s)) continue;
        const task = new Task(this, v, s);
        this.tasks.push(task);
        this.taskByKey.set(`${v.id}/${s}`, task);
      }
    }
    // Input channels first: local producers deliver straight into them.
    for (const t of this.tasks) t.deploy();
    this.post({ t: 'ready', slot: this.options.slot });
  }

  private async start(): Promise<void> {
    this.metricsTimer = setInterval(() => this.reportMetrics(), this.config.metricsIntervalMs);
    this.metricsTimer.unref?.();
    await Promise.all(
      this.tasks.map((t) =>
        t.open().catch((e) => {
          t.fail(e);
        }),
      ),
    );
    if (this.tasks.length === 0) this.post({ t: 'closed', slot: this.options.slot });
  }

  // ---- TaskHost ----

  schedule(task: Task): void {
    if (this.queued.has(task)) return;
    this.queued.add(task);
    this.ready.push(task);
    if (!this.loopScheduled) {
      this.loopScheduled = true;
      setImmediate(this.runLoop);
    }
  }

  private readonly runLoop = (): void => {
    this.loopScheduled = false;
    // Each task queued now gets one slice; tasks with more work go to the back of the queue.
    let n = this.ready.length;
    while (n-- > 0) {
      const task = this.ready.shift()!;
      this.queued.delete(task);
      const tracker = this.trackers.get(task);
      tracker?.markBusy();
      const more = task.step(performance.now() + SLICE_MS);
      tracker?.mark(more ? 'busy' : this.isBackPressured(task) ? 'backPressured' : 'idle');
      if (more) this.schedule(task);
    }
    if (this.ready.length > 0 && !this.loopScheduled) {
      this.loopScheduled = true;
      setImmediate(this.runLoop);
    }
  };

  private isBackPressured(task: Task): boolean {
    return task.channelWriters.some((w) => !w.isAvailable);
  }

  createChannelWriter(spec: ChannelSpec, onAvailable: () => void): ChannelWriter {
    const consumerLocal = this.isLocal(spec.consumerVertex, spec.consumerSubtask);
    let transport: { send(b: ArrayBuffer): void };
    if (consumerLocal) {
      transport = {
        send: (b) => {
          const input = this.inputs.get(spec.id);
          if (!input) throw new Error(`internal: no input channel ${spec.id}`);
          input.task.onBuffer(input.channel, b);
        },
      };
    } else {
      const port = this.peerPort(spec.consumerVertex, spec.consumerSubtask);
      transport = { send: (b) => port.postMessage({ t: 'b', c: spec.id, b } satisfies PeerMessage, [b]) };
    }
    const w = new ChannelWriter(spec.id, this.config.exchange, transport, onAvailable);
    this.writers.set(spec.id, w);
    return w;
  }

  createInputChannel(spec: ChannelSpec, group: InputGroup, trackerIndex: number, task: Task): InputChannel {
    const producerLocal = this.isLocal(spec.producerVertex, spec.producerSubtask);
    let grant: () => void;
    if (producerLocal) {
      grant = () => this.writers.get(spec.id)!.addCredit(1);
    } else {
      const port = this.peerPort(spec.producerVertex, spec.producerSubtask);
      grant = () => port.postMessage({ t: 'k', c: spec.id, n: 1 } satisfies PeerMessage);
    }
    const ch = new InputChannel(spec.id, group, trackerIndex, grant);
    this.inputs.set(spec.id, { channel: ch, task });
    return ch;
  }

  private peerPort(vertex: number, subtask: number): MessagePort {
    const slot = this.graph.slotOf(vertex, subtask, this.options.numSlots);
    const port = this.options.peers.get(slot);
    if (!port) throw new Error(`internal: no peer port to slot ${slot}`);
    return port;
  }

  /**
   * Metric scopes use names (as Flink's); two vertices, or two operators of one chain, may share a name, so the
   * later ones get their id appended to stay distinct.
   */
  private readonly scopeNames = new Map<string, string>();
  private uniqueScope(kind: string, name: string, id: string): string {
    const key = `${kind}\u0000${name}`;
    const owner = this.scopeNames.get(key);
    if (owner === undefined || owner === id) {
      this.scopeNames.set(key, id);
      return name;
    }
    return `${name} [${id}]`;
  }

  metricGroup(task: Task, node: StreamNode): RegistryMetricGroup {
    let tg = this.taskGroups.get(task);
    if (!tg) {
      const taskName = this.uniqueScope('task', task.vertex.name, String(task.vertex.id));
      tg = addTaskMetricGroup(this.jobGroup, { taskName, subtaskIndex: task.subtask, attemptNumber: this.attempt });
      const tracker = new TimeRatioTracker();
      registerTimeRatioGauges(tg, tracker);
      tg.gauge('outputBufferedRecords', () => task.bufferStats().bufferedRecords);
      tg.gauge('maxOutputBufferedRecords', () => task.bufferStats().maxBufferedRecords);
      tg.gauge('inputQueueLength', () => task.bufferStats().queuedInputBuffers);
      this.taskGroups.set(task, tg);
      this.trackers.set(task, tracker);
    }
    const operatorName = this.uniqueScope(`op/${task.vertex.id}`, node.name, node.uid);
    return addOperatorMetricGroup(tg, { operatorName, operatorId: node.uid });
  }

  sendToClient(channel: string, values: readonly unknown[]): void {
    this.post({ t: 'collect', channel, values });
  }

  sourceGateway(task: Task): SourceGateway {
    const v = task.vertex.id;
    const s = task.subtask;
    return {
      registerReader: () => this.post({ t: 'reader', v, s }),
      requestSplit: () => this.post({ t: 'split-request', v, s }),
      sendEvent: (e) => this.post({ t: 'source-event', v, s, e }),
    };
  }

  taskFinished(task: Task): void {
    this.post({ t: 'task-finished', v: task.vertex.id, s: task.subtask });
    if (++this.finishedTasks === this.tasks.length) this.reportMetrics();
  }

  taskFailed(task: Task, error: unknown): void {
    this.post({ t: 'task-failed', v: task.vertex.id, s: task.subtask, task: task.name, error: errorInfo(error) });
  }

  restoreFor(task: Task, node: StreamNode): OperatorRestore | undefined {
    const data = this.options.restore?.find((r) => r.uid === node.uid && r.subtask === task.subtask);
    if (!data) return undefined;
    return decodeRestore(data, keyGroupRangeForSubtask(node.maxParallelism, task.vertex.parallelism, task.subtask), node.name);
  }

  acknowledgeCheckpoint(task: Task, ack: TaskCheckpointAck): void {
    const t0 = performance.now();
    void Promise.all(ack.operators.map((o) => encodeCapture(o.uid, o.capture, o.watermark))).then(
      (operators) => {
        const transfer: ArrayBuffer[] = [];
        for (const o of operators) {
          if (o.keyed) transfer.push(o.keyed.bytes.buffer as ArrayBuffer);
          if (o.operatorState) transfer.push(o.operatorState.bytes.buffer as ArrayBuffer);
        }
        this.post(
          { t: 'ack', v: task.vertex.id, s: task.subtask, id: ack.checkpointId, operators, alignmentMs: ack.alignmentMs, syncMs: ack.syncMs, asyncMs: performance.now() - t0 },
          transfer.filter((b, i) => transfer.indexOf(b) === i),
        );
      },
      (e) => this.declineCheckpoint(task, ack.checkpointId, e),
    );
  }

  declineCheckpoint(task: Task, checkpointId: number, error: unknown, finishing = false): void {
    this.post({ t: 'decline', v: task.vertex.id, s: task.subtask, id: checkpointId, error: errorInfo(error), finishing });
  }

  get finalCheckpoint(): boolean {
    return this.config.checkpoint.directory !== undefined;
  }

  // ---- messages ----

  private handlePeer(m: PeerMessage): void {
    if (m.t === 'b') {
      const input = this.inputs.get(m.c);
      if (input) input.task.onBuffer(input.channel, m.b);
    } else {
      this.writers.get(m.c)?.addCredit(m.n);
    }
  }

  private handleControl(m: CoordinatorMessage): void {
    switch (m.t) {
      case 'start':
        void this.start();
        return;
      case 'splits': {
        const task = this.taskByKey.get(`${m.v}/${m.s}`);
        const src = task?.source;
        if (!task || !src) return;
        task.enqueueMail(() => {
          const ser = src.source.splitSerializer;
          src.addSplits(m.splits.map((b) => ser.deserialize(b, m.version) as SourceSplit));
        });
        return;
      }
      case 'no-more-splits': {
        const task = this.taskByKey.get(`${m.v}/${m.s}`);
        task?.enqueueMail(() => task.source?.reader.notifyNoMoreSplits());
        return;
      }
      case 'source-event': {
        const task = this.taskByKey.get(`${m.v}/${m.s}`);
        task?.enqueueMail(() => task.source?.reader.handleSourceEvent?.(m.e));
        return;
      }
      case 'trigger':
        for (const t of this.tasks) if (t.source) t.triggerCheckpoint(m.id, m.kind, m.stop);
        return;
      case 'checkpoint-complete':
        for (const t of this.tasks) t.notifyCheckpointComplete(m.id, m.final === true);
        return;
      case 'checkpoint-aborted':
        for (const t of this.tasks) t.notifyCheckpointAborted(m.id);
        return;
      case 'cancel':
      case 'shutdown':
        void this.close(m.t === 'cancel');
        return;
    }
  }

  private reportMetrics(): void {
    if (this.closed) return;
    this.registry.tick();
    const buffers: TaskBufferStats[] = this.tasks.map((t) => ({
      task: t.name,
      vertex: t.vertex.id,
      subtask: t.subtask,
      ...t.bufferStats(),
      busyMs: t.busyMs,
      backPressuredMs: t.backPressuredMs,
      state: t.describeState(),
    }));
    this.post({ t: 'metrics', slot: this.options.slot, metrics: this.registry.snapshot(), buffers });
  }

  /** Cancels running tasks (on cancel) or just releases resources (after the job finished). Idempotent. */
  async close(cancel: boolean): Promise<void> {
    if (this.closed) return;
    if (!cancel) this.reportMetrics();
    this.closed = true;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    if (cancel) await Promise.all(this.tasks.map((t) => t.cancel()));
    for (const port of this.options.peers.values()) port.close();
    this.options.control.off?.('message', this.onControl);
    await this.registry.close();
    await this.stateBackend.close?.();
    this.post({ t: 'closed', slot: this.options.slot });
  }

  private post(m: ExecutorMessage, transfer?: ArrayBuffer[]): void {
    try {
      this.options.control.postMessage(m, transfer);
    } catch (e) {
      // A non-cloneable collected value is a user error: report it as such instead of crashing the thread.
      if (m.t === 'collect') {
        this.options.control.postMessage({
          t: 'task-failed', v: -1, s: -1, task: 'collect', error: errorInfo(new Error(`collected values cannot be sent to the client: ${(e as Error).message}`)),
        } satisfies ExecutorMessage);
      } else throw e;
    }
  }
}
