// A Task runs one subtask of a vertex: its operator chain, its input channels and its output channel writers. It
// is driven cooperatively by the TaskExecutor of its thread: each `step` processes whole input buffers (or source
// polls) until the time slice is used, the input is empty, or an output is out of credit (back-pressure), then
// yields so that other tasks and incoming messages run. Nothing blocks and nothing awaits per record.
import { BinaryReader } from '@runnel/codec';
import { HeapOperatorStateStore } from '@runnel/state-heap';
import { keyGroupRangeForSubtask, type MetricGroup, type OperatorStateStore, type StateBackend } from '@runnel/api';
import type { ChannelSpec, JobGraph, JobVertex } from '../graph/job-graph.js';
import type { StreamNode } from '../graph/stream-graph.js';
import { RouterOutput, type Output } from '../operators/output.js';
import { ChainingOutput } from '../operators/chaining-output.js';
import type { OperatorContext, SourceGateway, StreamOperator } from '../operators/stream-operator.js';
import { SourceOperator } from '../operators/source-operator.js';
import { SinkOperator } from '../operators/sink-operator.js';
import { ChannelWriter } from '../exchange/channel-writer.js';
import { RecordWriter } from '../exchange/record-writer.js';
import { InputChannel, InputGroup } from '../exchange/input-channel.js';
import {
  TAG_ACTIVE,
  TAG_BARRIER,
  TAG_END_OF_PARTITION,
  TAG_IDLE,
  TAG_RECORD,
  TAG_RECORD_NO_TS,
  TAG_WATERMARK,
} from '../exchange/wire-format.js';
import { WatermarkTracker } from '../time/watermark-tracker.js';
import { createOperatorMetrics, type OperatorMetrics } from '@runnel/metrics';
import type { ProcessingTimeService } from '../time/processing-time-service.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { OperatorCapture, OperatorRestore } from '../checkpointing/operator-snapshot.js';
import { BarrierAligner } from './barrier-aligner.js';

/** What a task needs from the executor hosting it. @internal */
export interface TaskHost {
  readonly jobId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly config: RuntimeConfig;
  readonly graph: JobGraph;
  readonly stateBackend: StateBackend;
  schedule(task: Task): void;
  createChannelWriter(spec: ChannelSpec, onAvailable: () => void): ChannelWriter;
  createInputChannel(spec: ChannelSpec, group: InputGroup, trackerIndex: number, task: Task): InputChannel;
  metricGroup(task: Task, node: StreamNode): MetricGroup;
  sendToClient(channel: string, values: readonly unknown[]): void;
  sourceGateway(task: Task): SourceGateway;
  taskFinished(task: Task): void;
  taskFailed(task: Task, error: unknown): void;
  /** Restored state of an operator of this task, if the job was restored. */
  restoreFor(task: Task, node: StreamNode): OperatorRestore | undefined;
  acknowledgeCheckpoint(task: Task, ack: TaskCheckpointAck): void;
  /** `finishing`: the task is ending its input; the decline does not count as a checkpoint failure. */
  declineCheckpoint(task: Task, checkpointId: number, error: unknown, finishing?: boolean): void;
  /**
   * Whether the job takes a final checkpoint at end of input (it has checkpoint storage): tasks then snapshot their
   * final state and wait for that checkpoint to complete before sinks commit and the task ends.
   */
  readonly finalCheckpoint: boolean;
}

/** The id tasks use in the acknowledgement of their final snapshot; the coordinator assigns the real id. @internal */
export const FINAL_CHECKPOINT = -1;

/** What a task reports for a checkpoint: per operator, its captured state (not yet encoded) and watermark. @internal */
export interface TaskCheckpointAck {
  readonly checkpointId: number;
  readonly operators: { readonly uid: string; readonly capture: OperatorCapture; readonly watermark: number }[];
  readonly alignmentMs: number;
  readonly syncMs: number;
}

/** Barrier payload: what kind of snapshot the barrier belongs to. @internal */
export const BARRIER_CHECKPOINT = 0;
/** @internal */
export const BARRIER_SAVEPOINT = 1;
/** A savepoint after which the job stops without draining: every task freezes once it took its part. @internal */
export const BARRIER_SAVEPOINT_STOP = 2;

// The barrier payload also carries the base of an incremental checkpoint (the completed checkpoint whose state
// the delta builds on), so that every task agrees with the coordinator: payload = kind + 4 × (base + 1), and a
// payload below 4 (base -1) asks for a full snapshot.

/** Barrier payload of a snapshot kind and incremental base (-1: full). @internal */
export function barrierPayload(kind: number, base: number): number {
  return kind + 4 * (base + 1);
}

/** The snapshot kind of a barrier payload. @internal */
export function barrierKind(payload: number): number {
  return payload % 4;
}

/** The incremental base of a barrier payload (-1: full). @internal */
export function barrierBase(payload: number): number {
  return Math.floor(payload / 4) - 1;
}

/** @internal */
export type TaskState = 'created' | 'opening' | 'running' | 'finishing' | 'draining' | 'finished' | 'failed' | 'canceled';

/** @internal */
export class Task {
  state: TaskState = 'created';
  readonly name: string;
  readonly operators: StreamOperator[] = [];
  head!: StreamOperator;
  source: SourceOperator<unknown> | undefined;
  private readonly sinks: SinkOperator<unknown>[] = [];
  readonly inputChannels: InputChannel[] = [];
  readonly channelWriters: ChannelWriter[] = [];
  private readonly groups: InputGroup[] = [];
  private readonly reader = new BinaryReader();
  private readonly mail: (() => void)[] = [];
  private nextChannel = 0;
  private endedChannels = 0;
  private waitingForSource = false;
  private blockedOnSink: Promise<void> | undefined;
  private inputEnded = false;
  readonly processingTime: ProcessingTimeService;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Time accounting for busy / back-pressured / idle ratios. */
  busyMs = 0;
  backPressuredMs = 0;
  private backPressuredSince = -1;
  readonly operatorStates: OperatorStateStore[] = [];
  /** While a checkpoint is being taken (pre-barrier flush, capture), the task takes no input. */
  private checkpointing = false;
  private readonly aligner = new BarrierAligner(this.inputChannels, (id, kind, startedAt) => this.performCheckpoint(id, kind, startedAt));
  /** Set when the task was told to stop after a savepoint (stop-with-savepoint). */
  private stopAfterCheckpoint: { id: number; drain: boolean } | undefined;
  /**
   * Checkpoints triggered while the task was still opening: taken as soon as it runs, before any mail that came
   * after them (while one waits here, no mail runs — see `step`).
   */
  private readonly triggersWhileOpening: (() => void)[] = [];
  private sourcePaused = false;
  /** The stop-with-savepoint (without drain) this task froze at; undefined when not frozen. */
  private frozenAt: number | undefined;
  private frozenTimers: (() => void)[] = [];
  /** Waiting for the final checkpoint to complete before ending. */
  private awaitingFinalCheckpoint = false;
  /** The close of the operators once started (by a failure, a cancel or the end), so that a cancel can wait for it. */
  private closing: Promise<void> = Promise.resolve();
  /** False after a stop-with-savepoint without drain reached this task: its end of input is not a drain. */
  private drainOnEnd = true;
  /** Input is paused while an off-heap state backend loads the state of the next records or timers. */
  private suspended = false;
  /** A decoded buffer being processed in steps (off-heap state: prefetch gaps between records and timers). */
  private pending: { ch: InputChannel; tags: number[]; nums: number[]; values: unknown[]; pos: number; timersReady: number } | undefined;

  constructor(
    readonly host: TaskHost,
    readonly vertex: JobVertex,
    readonly subtask: number,
  ) {
    this.name = `${vertex.name} (${subtask + 1}/${vertex.parallelism})`;
    this.processingTime = {
      now: () => Date.now(),
      registerTimer: (time, callback) => {
        let cancelled = false;
        // +1 ms: a timer fires once processing time has passed its timestamp (Flink's contract), so a record in a
        // processing-time window's last millisecond still belongs to it.
        const delay = Math.max(0, time - Date.now()) + 1;
        const handle = setTimeout(() => {
          this.timers.delete(handle);
          if (cancelled) return;
          const fire = (): void => {
            if (cancelled) return;
            // Frozen after a stop-with-savepoint barrier: nothing may fire (a periodic watermark would fire windows
            // whose state is in the savepoint); deferred until the savepoint aborts, dropped if the job ends.
            if (this.frozenAt !== undefined) this.frozenTimers.push(fire);
            else callback(Date.now());
          };
          this.enqueueMail(fire);
        }, delay);
        this.timers.add(handle);
        return () => {
          cancelled = true;
          clearTimeout(handle);
          this.timers.delete(handle);
        };
      },
    };
  }

  /** Builds the operator chain and its inputs and outputs. */
  deploy(): void {
    const g = this.host.graph;
    const v = this.vertex;
    const byNode = new Map<number, StreamOperator>();
    // Tail first, so that every operator's chained successors exist when its output is built.
    for (let i = v.nodes.length - 1; i >= 0; i--) {
      const node = v.nodes[i]!;
      const outs: { output: Output<unknown>; tag: string | undefined }[] = [];
      for (const e of node.outEdges) {
        const chained = v.chainedEdges.includes(e);
        if (chained) outs.push({ output: new ChainingOutput(byNode.get(e.targetId)!, e.inputIndex), tag: e.sideOutputTag });
        else {
          const target = g.vertexOf(e.targetId);
          const specs = g.channelsOfEdge.get(e.id)!.filter((c) => c.producerSubtask === this.subtask);
          // Side outputs carry other types than the operator's records: they keep the generic codec.
          const codec = e.sideOutputTag === undefined ? node.recordCodec : undefined;
          const writers = specs.map((s) => {
            const w = this.host.createChannelWriter(s, () => this.schedule());
            w.codec = codec;
            this.channelWriters.push(w);
            return w;
          });
          outs.push({
            output: new RecordWriter(writers, e.partition, target.maxParallelism, this.subtask, { node, subtaskIndex: this.subtask, parallelism: v.parallelism }),
            tag: e.sideOutputTag,
          });
        }
      }
      const metricGroup = this.host.metricGroup(this, node);
      const metrics = createOperatorMetrics(metricGroup);
      const output = new RouterOutput(outs, metrics.numRecordsOut);
      const op = node.operatorFactory(this.operatorContext(node, output, metricGroup, metrics));
      byNode.set(node.id, op);
      this.operators.unshift(op);
      if (op instanceof SinkOperator) this.sinks.push(op);
    }
    this.head = this.operators[0]!;
    if (this.head instanceof SourceOperator) this.source = this.head;
    // Inputs: one group per logical input index; every channel of every edge into the head joins its group.
    for (const e of v.inputs) {
      let group = this.groups.find((gr) => gr.inputIndex === e.inputIndex);
      if (!group) {
        group = new InputGroup(e.inputIndex, new WatermarkTracker());
        this.groups.push(group);
      }
      // Records are read with the codec their producer wrote them with (same rule as on the producer side).
      const codec = e.sideOutputTag === undefined ? g.streamGraph.nodes.get(e.sourceId)!.recordCodec : undefined;
      for (const spec of g.channelsOfEdge.get(e.id)!) {
        if (spec.consumerSubtask !== this.subtask) continue;
        const ch = this.host.createInputChannel(spec, group, group.tracker.add(), this);
        ch.codec = codec;
        this.inputChannels.push(ch);
      }
    }
  }

  private operatorContext(node: StreamNode, output: RouterOutput<unknown>, metricGroup: MetricGroup, metrics: OperatorMetrics): OperatorContext {
    const v = this.vertex;
    const host = this.host;
    const osContext = { jobId: host.jobId, operatorUid: node.uid, subtaskIndex: this.subtask, parallelism: v.parallelism };
    // Backends without an operator state store of their own: operator state lives in JS memory.
    const operatorState = host.stateBackend.createOperatorStateStore?.(osContext) ?? new HeapOperatorStateStore(osContext);
    this.operatorStates.push(operatorState);
    const restore = host.restoreFor(this, node);
    const userStates = restore?.operatorState.filter((st) => !st.name.startsWith('__'));
    if (userStates && userStates.length > 0) {
      if (!operatorState.restore) throw new Error(`state backend cannot restore operator state (operator '${node.name}', uid ${node.uid})`);
      operatorState.restore(userStates);
    }
    const task = this;
    return {
      jobId: host.jobId,
      jobName: host.jobName,
      node,
      taskName: this.name,
      subtaskIndex: this.subtask,
      parallelism: v.parallelism,
      maxParallelism: node.maxParallelism,
      attemptNumber: host.attempt,
      keyGroupRange: keyGroupRangeForSubtask(node.maxParallelism, v.parallelism, this.subtask),
      output,
      metricGroup,
      metrics,
      stateBackend: host.stateBackend,
      operatorState,
      processingTime: this.processingTime,
      autoWatermarkIntervalMs: host.config.autoWatermarkIntervalMs,
      finalCheckpoint: host.finalCheckpoint,
      incrementalCheckpoints: host.config.checkpoint.incremental,
      sendToClient: (channel, values) => host.sendToClient(channel, values),
      suspendUntil: (p) => this.suspendUntil(p),
      restore,
      get sourceGateway() {
        return node.kind === 'source' ? host.sourceGateway(task) : undefined;
      },
    };
  }

  /** Opens operators tail first (Flink's order), then starts processing. */
  async open(): Promise<void> {
    this.state = 'opening';
    for (let i = this.operators.length - 1; i >= 0; i--) await this.operators[i]!.open();
    if (this.state !== 'opening') return;
    this.state = 'running';
    // Ahead of the mail that arrived after them: a split assignment the enumerator sent after its snapshot of a
    // checkpoint must reach the reader after the reader's snapshot of it (or the split is in both).
    this.mail.unshift(...this.triggersWhileOpening.splice(0));
    if (this.inputChannels.length === 0 && !this.source) this.beginFinish();
    this.schedule();
  }

  schedule(): void {
    if (this.state === 'finished' || this.state === 'failed' || this.state === 'canceled') return;
    this.host.schedule(this);
  }

  enqueueMail(action: () => void): void {
    this.mail.push(action);
    this.schedule();
  }

  /** Delivers a buffer from a producer. */
  onBuffer(channel: InputChannel, buffer: ArrayBuffer): void {
    channel.queue.push(buffer);
    this.schedule();
  }

  private outputsAvailable(): boolean {
    const ws = this.channelWriters;
    for (let i = 0; i < ws.length; i++) if (!ws[i]!.isAvailable) return false;
    return true;
  }

  private checkSinks(): boolean {
    if (this.blockedOnSink) return false;
    for (const s of this.sinks) {
      const p = s.isAvailable();
      if (p) {
        this.blockedOnSink = p;
        p.then(
          () => {
            this.blockedOnSink = undefined;
            this.schedule();
          },
          (e) => this.fail(e),
        );
        return false;
      }
    }
    return true;
  }

  /** Runs until `deadline` (performance.now()); returns true when there is more work right away. */
  step(deadline: number): boolean {
    const start = performance.now();
    let more = false;
    try {
      // While a checkpoint is being taken no mail runs: a split assignment (or timer) slipping in between the
      // enumerator's snapshot and the reader's capture would be in both and be read twice after a restore.
      // Nor while a checkpoint triggered during `open` waits for the task to run: the mail after it (split
      // assignments, source events) comes after the enumerator's snapshot and must come after the reader's too.
      while (this.mail.length > 0 && this.isLive() && !this.checkpointing && this.triggersWhileOpening.length === 0) this.mail.shift()!();
      if (this.state === 'running') more = this.source ? this.runSource(deadline) : this.runInputs(deadline);
      if (this.isLive()) for (const w of this.channelWriters) w.flush();
      if (this.state === 'draining' && !this.awaitingFinalCheckpoint && this.channelWriters.every((w) => w.drained)) void this.complete();
    } catch (e) {
      this.fail(e);
      return false;
    }
    const end = performance.now();
    this.busyMs += end - start;
    const pressured = this.state === 'running' && (!this.outputsAvailable() || this.blockedOnSink !== undefined);
    if (pressured && this.backPressuredSince < 0) this.backPressuredSince = end;
    else if (!pressured && this.backPressuredSince >= 0) {
      this.backPressuredMs += end - this.backPressuredSince;
      this.backPressuredSince = -1;
    }
    // A task that ended (canceled, failed, finished) runs no mail: it must not be stepped again, or mail that arrived
    // after its end (a split assignment, a checkpoint notification) kept it in the executor's loop for good, spinning
    // a core in a local job after its cancel (seen in the mysql-cdc benchmark).
    if (this.state === 'finished' || this.state === 'failed' || this.state === 'canceled') {
      this.mail.length = 0;
      return false;
    }
    return more || this.mail.length > 0;
  }

  private isLive(): boolean {
    return this.state === 'running' || this.state === 'finishing' || this.state === 'draining' || this.state === 'opening';
  }

  private runSource(deadline: number): boolean {
    const src = this.source!;
    while (!this.checkpointing && !this.suspended && !this.sourcePaused && !this.waitingForSource && this.outputsAvailable() && this.checkSinks()) {
      const status = src.emitNext();
      if (status === 'end-of-input') {
        this.beginFinish();
        return false;
      }
      if (status === 'nothing-available') {
        this.waitingForSource = true;
        src.reader.isAvailable().then(
          () => {
            this.waitingForSource = false;
            this.schedule();
          },
          (e) => this.fail(e),
        );
        return false;
      }
      if (performance.now() >= deadline) return true;
    }
    return false;
  }

  private runInputs(deadline: number): boolean {
    const chans = this.inputChannels;
    const n = chans.length;
    while (!this.checkpointing && !this.suspended && this.outputsAvailable() && this.checkSinks()) {
      if (this.pending) {
        if (!this.continuePending()) return false;
        if (this.inputEnded) {
          this.beginFinish();
          return false;
        }
        continue;
      }
      let ch: InputChannel | undefined;
      for (let k = 0; k < n; k++) {
        const c = chans[(this.nextChannel + k) % n]!;
        if (c.queue.length > 0 && !c.blocked) {
          ch = c;
          this.nextChannel = (this.nextChannel + k + 1) % n;
          break;
        }
      }
      if (!ch) return false;
      if (this.head.needsPrefetch) {
        this.decodeBuffer(ch, ch.queue.shift()!);
        continue;
      }
      this.processBuffer(ch, ch.queue.shift()!);
      ch.grantCredit();
      if (this.inputEnded) {
        this.beginFinish();
        return false;
      }
      if (performance.now() >= deadline) return true;
    }
    return false;
  }

  private processBuffer(ch: InputChannel, buffer: ArrayBuffer): void {
    const r = this.reader;
    r.reset(buffer);
    const head = this.head;
    const input = ch.group.inputIndex;
    const codec = ch.codec;
    while (r.remaining > 0) {
      const tag = r.readUint8();
      if (tag === TAG_RECORD) {
        const ts = r.readFloat64();
        const v = codec === undefined ? r.readValue() : codec.read(r);
        head.numRecordsIn.count++;
        head.processElement(v, ts, input);
      } else if (tag === TAG_RECORD_NO_TS) {
        const v = codec === undefined ? r.readValue() : codec.read(r);
        head.numRecordsIn.count++;
        head.processElement(v, Number.NEGATIVE_INFINITY, input);
      } else if (tag === TAG_WATERMARK) {
        this.onWatermark(ch, r.readFloat64());
      } else if (tag === TAG_IDLE || tag === TAG_ACTIVE) {
        this.onIdle(ch, tag === TAG_IDLE);
      } else if (tag === TAG_END_OF_PARTITION) {
        this.onEndOfPartition(ch, r.readUint8() === 1);
      } else if (tag === TAG_BARRIER) {
        const id = r.readVarUint();
        const kind = r.readVarUint();
        this.onBarrier(ch, id, kind);
      } else {
        throw new Error(`corrupt network buffer on channel ${ch.channelId}: unknown element tag ${tag}`);
      }
    }
  }

  /** Pauses input until `p` settles. */
  suspendUntil(p: Promise<void>): void {
    this.suspended = true;
    p.then(
      () => {
        this.suspended = false;
        this.schedule();
      },
      (e) => this.fail(e),
    );
  }

  /**
   * The path for heads with off-heap state: the buffer is decoded first, the state of all its records' keys is
   * prefetched in one batch, and then the elements are processed; a watermark that fires timers waits for their
   * keys too. Credit for the buffer is returned only when it is fully processed.
   */
  private decodeBuffer(ch: InputChannel, buffer: ArrayBuffer): void {
    const r = this.reader;
    r.reset(buffer);
    const tags: number[] = [];
    const nums: number[] = [];
    const values: unknown[] = [];
    const codec = ch.codec;
    while (r.remaining > 0) {
      const tag = r.readUint8();
      tags.push(tag);
      if (tag === TAG_RECORD) {
        nums.push(r.readFloat64());
        values.push(codec === undefined ? r.readValue() : codec.read(r));
      } else if (tag === TAG_RECORD_NO_TS) {
        nums.push(Number.NEGATIVE_INFINITY);
        values.push(codec === undefined ? r.readValue() : codec.read(r));
      } else if (tag === TAG_WATERMARK) {
        nums.push(r.readFloat64());
        values.push(undefined);
      } else if (tag === TAG_BARRIER) {
        nums.push(r.readVarUint());
        values.push(r.readVarUint());
      } else if (tag === TAG_END_OF_PARTITION) {
        nums.push(r.readUint8());
        values.push(undefined);
      } else if (tag === TAG_IDLE || tag === TAG_ACTIVE) {
        nums.push(0);
        values.push(undefined);
      } else {
        throw new Error(`corrupt network buffer on channel ${ch.channelId}: unknown element tag ${tag}`);
      }
    }
    this.pending = { ch, tags, nums, values, pos: 0, timersReady: -1 };
    const records: unknown[] = [];
    for (let i = 0; i < tags.length; i++) if (tags[i] === TAG_RECORD || tags[i] === TAG_RECORD_NO_TS) records.push(values[i]);
    const p = this.head.prefetchRecords(records, new Array<number>(records.length).fill(ch.group.inputIndex));
    if (p) this.suspendUntil(p);
  }

  /** Processes the pending decoded buffer; returns false when it paused for a prefetch. */
  private continuePending(): boolean {
    const pd = this.pending!;
    const { ch, tags, nums, values } = pd;
    const head = this.head;
    const group = ch.group;
    const input = group.inputIndex;
    while (pd.pos < tags.length) {
      const i = pd.pos;
      const tag = tags[i]!;
      if (tag === TAG_RECORD || tag === TAG_RECORD_NO_TS) {
        head.numRecordsIn.count++;
        head.processElement(values[i], nums[i]!, input);
      } else if (tag === TAG_WATERMARK) {
        const w = nums[i]!;
        if (pd.timersReady !== i && w > group.tracker.current) {
          // The channel's watermark bounds the combined one: prefetching up to it covers every timer it can fire.
          const p = head.prefetchTimers(w);
          pd.timersReady = i;
          if (p) {
            this.suspendUntil(p);
            return false;
          }
        }
        this.onWatermark(ch, w);
      } else if (tag === TAG_IDLE || tag === TAG_ACTIVE) {
        this.onIdle(ch, tag === TAG_IDLE);
      } else if (tag === TAG_END_OF_PARTITION) {
        this.onEndOfPartition(ch, nums[i] === 1);
      } else if (tag === TAG_BARRIER) {
        pd.pos++;
        this.onBarrier(ch, nums[i]!, values[i] as number);
        if (this.checkpointing) return false;
        continue;
      }
      pd.pos++;
    }
    this.pending = undefined;
    ch.grantCredit();
    return true;
  }

  /** A channel's watermark; the input's watermark is the minimum over its channels. */
  private onWatermark(ch: InputChannel, watermark: number): void {
    if (this.frozenAt !== undefined) return;
    const adv = ch.group.tracker.update(ch.trackerIndex, watermark);
    if (adv !== undefined) this.head.processWatermark(adv, ch.group.inputIndex);
  }

  /** A channel turned idle or active; idle channels do not hold the input's watermark back. */
  private onIdle(ch: InputChannel, idle: boolean): void {
    if (this.frozenAt !== undefined) return;
    const adv = ch.group.tracker.setIdle(ch.trackerIndex, idle);
    if (adv !== undefined) this.head.processWatermark(adv, ch.group.inputIndex);
    this.updateGroupIdle(ch.group);
  }

  /**
   * A producer ended. After a drain its final watermark already arrived and the channel stops holding the watermark
   * back; after stop-with-savepoint without drain the watermark must not advance (windows and timers stay in the
   * savepoint), and this task ends without draining too.
   */
  private onEndOfPartition(ch: InputChannel, drain: boolean): void {
    ch.ended = true;
    if (drain) {
      const adv = ch.group.tracker.finish(ch.trackerIndex);
      this.updateGroupIdle(ch.group);
      if (adv !== undefined) this.head.processWatermark(adv, ch.group.inputIndex);
    } else {
      this.drainOnEnd = false;
    }
    if (++this.endedChannels === this.inputChannels.length) this.inputEnded = true;
    // A finished channel sends no more barriers: it counts as aligned.
    this.aligner.onChannelEnded();
  }

  private updateGroupIdle(group: InputGroup): void {
    const idle = group.tracker.isIdle;
    if (idle !== group.idle) {
      group.idle = idle;
      this.head.processIdle(idle, group.inputIndex);
    }
  }

  // ---- checkpoints ----

  /** A source task is asked to take a checkpoint: runs between two polls. */
  triggerCheckpoint(checkpointId: number, kind: number, stop?: { drain: boolean }): void {
    const trigger = (): void => {
      // A task still opening (a restored run's operators restoring state, a sink connecting) has not started yet:
      // the checkpoint waits for it. Declined as "finishing", it made the coordinator believe that a source had
      // ended, and the job never triggered a checkpoint again (seen as 1 in 40 restarts of a continuous source).
      if (this.state === 'opening' || this.state === 'created') {
        this.triggersWhileOpening.push(trigger);
        return;
      }
      if (this.state !== 'running') {
        this.host.declineCheckpoint(this, checkpointId, new Error(`task ${this.name} is ${this.state}`), true);
        return;
      }
      if (stop) this.stopAfterCheckpoint = { id: checkpointId, drain: stop.drain };
      this.performCheckpoint(checkpointId, stop && !stop.drain ? BARRIER_SAVEPOINT_STOP : kind, performance.now());
    };
    this.enqueueMail(trigger);
  }

  private onBarrier(ch: InputChannel, id: number, kind: number): void {
    this.aligner.onBarrier(ch, id, kind);
  }

  /**
   * Takes this task's part of a checkpoint: operators flush and pre-commit (sinks), capture their state
   * synchronously, the barrier goes downstream, and the capture is acknowledged; input resumes right after the
   * barrier is forwarded, while the state is encoded and written asynchronously.
   */
  private performCheckpoint(checkpointId: number, kind: number, alignmentStart: number): void {
    this.checkpointing = true;
    const alignmentMs = performance.now() - alignmentStart;
    const capture = (): void => {
      const t0 = performance.now();
      const base = barrierBase(kind);
      const operators = this.operators.map((op) => ({ uid: op.ctx.node.uid, capture: op.snapshotState(checkpointId, base), watermark: op.getCurrentWatermark() }));
      for (const w of this.channelWriters) w.addBarrier(checkpointId, kind);
      const syncMs = performance.now() - t0;
      this.aligner.release();
      this.checkpointing = false;
      this.host.acknowledgeCheckpoint(this, { checkpointId, operators, alignmentMs, syncMs });
      // Stop-with-savepoint: the source emits nothing after the savepoint barrier, and ends its input once the
      // savepoint is complete (so nothing is committed for a savepoint that does not exist).
      if (this.stopAfterCheckpoint?.id === checkpointId) this.sourcePaused = true;
      // Stop without drain: after its part of the savepoint, a task emits nothing more (no timers, no watermarks),
      // so no output exists that the savepoint does not account for; it only waits for end of input.
      if (barrierKind(kind) === BARRIER_SAVEPOINT_STOP) this.frozenAt = checkpointId;
      this.schedule();
    };
    const failed = (e: unknown): void => {
      this.checkpointing = false;
      this.aligner.release();
      this.host.declineCheckpoint(this, checkpointId, e);
      this.fail(e);
    };
    // Pre-barrier work (sink flush and pre-commit, a bundle's flush) may be asynchronous; when none is, the capture
    // happens right here, synchronously, so nothing at all runs between the barrier and the capture. Operators go
    // head to tail, each after the previous one's work settled: what an operator emits in its pre-barrier work (a
    // flushed bundle) reaches the chained operators after it before they prepare (a sink pre-commits it).
    const ops = this.operators;
    let i = 0;
    const next = (): void => {
      try {
        while (i < ops.length) {
          const p = ops[i++]!.prepareSnapshotPreBarrier(checkpointId);
          if (p) {
            p.then(next, failed);
            return;
          }
        }
        capture();
      } catch (e) {
        failed(e);
      }
    };
    next();
  }

  /** Stop-with-savepoint: the source ends its input right after the savepoint barrier. */
  private stopSource(drain: boolean): void {
    if (!this.source) return;
    this.source.drainOnFinish = drain;
    this.drainOnEnd = drain;
    this.beginFinish();
  }

  /** A checkpoint completed: operators commit (sinks) and sources learn of it. */
  notifyCheckpointComplete(checkpointId: number, final = false): void {
    this.enqueueMail(() => {
      if (!this.isLive()) return;
      if (final && !this.awaitingFinalCheckpoint) return;
      void (async () => {
        try {
          // The final checkpoint covers everything, including what sinks pre-committed at end of input.
          const id = final ? Number.MAX_SAFE_INTEGER : checkpointId;
          for (const op of this.operators) await op.notifyCheckpointComplete(id);
          if (final) {
            this.awaitingFinalCheckpoint = false;
            this.schedule();
          }
          const stop = this.stopAfterCheckpoint;
          if (stop && stop.id === checkpointId) this.stopSource(stop.drain);
        } catch (e) {
          this.fail(e);
        }
      })();
    });
  }

  /** A checkpoint was aborted: a source paused for stop-with-savepoint resumes. */
  notifyCheckpointAborted(checkpointId: number): void {
    this.enqueueMail(() => {
      if (this.stopAfterCheckpoint?.id === checkpointId) {
        this.stopAfterCheckpoint = undefined;
        this.sourcePaused = false;
      }
      if (this.frozenAt === checkpointId) {
        this.frozenAt = undefined;
        for (const f of this.frozenTimers.splice(0)) this.enqueueMail(f);
      }
      this.aligner.abort(checkpointId);
    });
  }

  /** End of input: finish operators head to tail, then end every output partition. */
  private beginFinish(): void {
    if (this.state !== 'running') return;
    this.state = 'finishing';
    void (async () => {
      try {
        for (const op of this.operators) await op.finish();
        if (this.host.finalCheckpoint) {
          // The final snapshot: every record of this task is processed; sinks hold their last committables.
          const operators = this.operators.map((op) => ({ uid: op.ctx.node.uid, capture: op.snapshotState(FINAL_CHECKPOINT), watermark: op.getCurrentWatermark() }));
          this.awaitingFinalCheckpoint = true;
          this.host.acknowledgeCheckpoint(this, { checkpointId: FINAL_CHECKPOINT, operators, alignmentMs: 0, syncMs: 0 });
        }
        for (const w of this.channelWriters) w.addEndOfPartition(this.drainOnEnd);
        this.state = 'draining';
        this.schedule();
      } catch (e) {
        this.fail(e);
      }
    })();
  }

  private async complete(): Promise<void> {
    if (this.state !== 'draining') return;
    this.state = 'finished';
    const closed = this.closeAll();
    this.closing = closed.catch(() => {});
    try {
      await closed;
      this.host.taskFinished(this);
    } catch (e) {
      this.state = 'draining';
      this.fail(e);
    }
  }

  private async closeAll(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    let first: unknown;
    for (const op of this.operators) {
      try {
        await op.close();
      } catch (e) {
        first ??= e;
      }
    }
    for (const s of this.operatorStates) await s.dispose();
    if (first !== undefined) throw first;
  }

  fail(error: unknown): void {
    if (this.state === 'failed' || this.state === 'canceled' || this.state === 'finished') return;
    this.state = 'failed';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.host.taskFailed(this, error);
    this.closing = this.closeAll().catch(() => {});
  }

  /**
   * Closes the operators unless they are closed already; resolves when they are, also when a failure started the
   * close (the executor reports itself closed after this, and its thread is terminated then: see SinkOperator.close).
   */
  async cancel(): Promise<void> {
    if (this.state === 'finished' || this.state === 'failed' || this.state === 'canceled') {
      await this.closing;
      return;
    }
    this.state = 'canceled';
    this.closing = this.closeAll().catch(() => {});
    await this.closing;
  }

  /** What the task is doing, for a diagnosis of a job that makes no progress (state, alignment, end of input). */
  describeState(): string {
    const parts: string[] = [this.state];
    const aligning = this.aligner.describe();
    if (aligning) parts.push(aligning);
    if (this.endedChannels > 0) parts.push(`${this.endedChannels} of ${this.inputChannels.length} input channels ended`);
    if (this.checkpointing) parts.push('taking a checkpoint');
    if (this.awaitingFinalCheckpoint) parts.push('awaiting the final checkpoint');
    if (this.sourcePaused) parts.push('source paused');
    if (this.frozenAt !== undefined) parts.push(`frozen at savepoint ${this.frozenAt}`);
    if (this.blockedOnSink) parts.push('waiting for a sink');
    return parts.join(', ');
  }

  /** Buffer counters of this task (for metrics and back-pressure tests). */
  bufferStats(): { bufferedRecords: number; maxBufferedRecords: number; maxBuffersInFlight: number; queuedInputBuffers: number } {
    let buffered = 0;
    let maxBuffered = 0;
    let maxInFlight = 0;
    for (const w of this.channelWriters) {
      buffered += w.bufferedRecords;
      maxBuffered += w.maxBufferedRecords;
      if (w.maxBuffersInFlight > maxInFlight) maxInFlight = w.maxBuffersInFlight;
    }
    let queued = 0;
    for (const c of this.inputChannels) queued += c.queue.length;
    return { bufferedRecords: buffered, maxBufferedRecords: maxBuffered, maxBuffersInFlight: maxInFlight, queuedInputBuffers: queued };
  }
}
