// Turns the metrics a running job reports (aggregated per operator across subtasks) into what the CLI shows: per
// operator records in/out, rates, watermarks and records dropped (late) or skipped (in errors), which operators are the job's sources and sinks, and the one-line
// live status. Pure functions over plain metric data, so they are unit-tested on synthetic snapshots; the timing
// and terminal handling live in `progress-reporter.ts`.
import { formatCheckpointProgress, type CheckpointCounts } from './checkpoints.js';

/**
 * One metric aggregated over the subtasks of an operator, as `JobClient.operatorMetrics()` returns it (only the
 * fields the CLI reads).
 *
 * @public
 */
export interface OperatorMetricInput {
  /** Carries `<operator_id>` and `<operator_name>`. */
  readonly variables: Readonly<Record<string, string>>;
  readonly name: string;
  readonly kind: string;
  /** Count (counters, meters) or value (gauges) summed over subtasks. */
  readonly sum: number;
  /** Minimum over subtasks (the operator's watermark for watermark gauges). */
  readonly min: number;
  /** Summed meter rate in events per second (meters only). */
  readonly rate?: number;
}

/**
 * A raw per-subtask metric snapshot (only its variables are read: `<task_name>` and `<operator_id>` tell which
 * chain an operator runs in, and where).
 *
 * @public
 */
export interface SubtaskMetricInput {
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * What an operator is in the dataflow, for display.
 *
 * @public
 */
export type OperatorRole = 'source' | 'operator' | 'sink';

/**
 * Where an operator sits in its chain (its task): the chain's first-seen order among tasks, and the operator's
 * position in the chain.
 *
 * @public
 */
export interface ChainPosition {
  readonly task: number;
  readonly index: number;
  readonly length: number;
}

/**
 * Progress of one operator, summed over its subtasks.
 *
 * @public
 */
export interface OperatorProgress {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Records per second into the operator (over the last sampling interval, or the meter's rate). */
  readonly recordsInPerSecond: number;
  /** Records per second out of the operator. */
  readonly recordsOutPerSecond: number;
  /** Minimum input watermark over subtasks (ms), when one is known and finite. */
  readonly inputWatermark: number | undefined;
  /** Minimum output watermark over subtasks (ms), when one is known and finite. */
  readonly outputWatermark: number | undefined;
  /**
   * Late records the operator dropped (its `numLateRecordsDropped`: a window operator without a late-data side
   * output discards records whose window has already been cleaned up). Absent means 0.
   */
  readonly lateRecordsDropped?: number;
  /**
   * Records the operator skipped because they could not be read or processed (its `numRecordsInErrors`: e.g.
   * malformed lines a file source with `ignoreParseErrors` skipped). Absent means 0.
   */
  readonly recordsInErrors?: number;
  /**
   * Records the source has yet to read (its `pendingRecords` gauge summed over subtasks, as Flink's FLIP-33
   * metric: the Kafka source's records behind the partitions' end offsets). Absent when the operator reports none.
   */
  readonly pendingRecords?: number;
}

/**
 * A point-in-time view of a running job for the status line.
 *
 * @public
 */
export interface ProgressSnapshot {
  readonly elapsedMs: number;
  /** Operators in dataflow order: sources first, sinks last. */
  readonly operators: readonly OperatorProgress[];
  /** Checkpoints so far; undefined when checkpointing is off (nothing is shown then). */
  readonly checkpoints?: CheckpointCounts;
  /** How often the job restarted; shown when greater than zero. */
  readonly restarts?: number;
}

// Dates beyond ±8.64e15 ms are not representable; the runtime uses huge values (MAX_SAFE_INTEGER, Infinity) for
// "end of input", which is not a useful thing to print as a time.
const MAX_DATE_MS = 8.64e15;

const SOURCE_NAME = /source/i;
const SINK_NAME = /sink|collect|print|blackhole|discard/i;

function finiteWatermark(m: OperatorMetricInput | undefined): number | undefined {
  if (m === undefined || typeof m.min !== 'number' || !Number.isFinite(m.min) || Math.abs(m.min) >= MAX_DATE_MS) return undefined;
  return m.min;
}

/**
 * Derives each operator's chain position from raw subtask snapshots: task names are the chained operator names
 * joined by `' -> '` (e.g. `Source -> Map`). Operators with the same name in one chain take positions in order.
 *
 * @public
 */
export function chainPositions(snapshots: readonly SubtaskMetricInput[]): Map<string, ChainPosition> {
  const tasks = new Map<string, { index: number; names: string[]; taken: Set<number> }>();
  const out = new Map<string, ChainPosition>();
  for (const s of snapshots) {
    const taskName = s.variables['<task_name>'];
    const id = s.variables['<operator_id>'];
    const name = s.variables['<operator_name>'];
    if (taskName === undefined || id === undefined || name === undefined || out.has(id)) continue;
    let t = tasks.get(taskName);
    if (t === undefined) {
      t = { index: tasks.size, names: taskName.split(' -> '), taken: new Set() };
      tasks.set(taskName, t);
    }
    let pos = -1;
    for (let i = 0; i < t.names.length; i++) {
      if (t.names[i] === name && !t.taken.has(i)) {
        pos = i;
        break;
      }
    }
    // A name that does not appear in the task name (it contains ' -> ' itself): position unknown, so it counts as
    // both head and tail of its chain, which leaves the role to the record counts.
    if (pos >= 0) t.taken.add(pos);
    out.set(id, pos >= 0 ? { task: t.index, index: pos, length: t.names.length } : { task: t.index, index: 0, length: 1 });
  }
  return out;
}

/**
 * Classifies an operator.
 *
 * @remarks
 * Sources never receive records and always head their chain; sinks never emit records and always end their
 * chain. Counts alone are ambiguous early on (nothing has arrived yet) and for operators that drop everything,
 * so a zero count is confirmed either by traffic on the other side or by the operator's name.
 *
 * @public
 */
export function classifyOperator(
  name: string,
  recordsIn: number,
  recordsOut: number,
  position: ChainPosition | undefined,
): OperatorRole {
  const head = position === undefined || position.index === 0;
  const tail = position === undefined || position.index === position.length - 1;
  if (head && recordsIn === 0 && (recordsOut > 0 || SOURCE_NAME.test(name))) return 'source';
  if (tail && recordsOut === 0 && (recordsIn > 0 || SINK_NAME.test(name))) return 'sink';
  return 'operator';
}

const ROLE_RANK: Record<OperatorRole, number> = { source: 0, operator: 1, sink: 2 };

/**
 * Rates over an interval: the previous sample's counts per operator id and when it was taken.
 *
 * @public
 */
export interface CountSample {
  readonly atMs: number;
  readonly counts: ReadonlyMap<string, { readonly recordsIn: number; readonly recordsOut: number }>;
}

/**
 * Builds per-operator progress from aggregated metrics, in dataflow order (sources, then by chain, then sinks).
 * With a previous sample, rates are the count deltas over the elapsed time (responsive); without one they are the
 * operators' meter rates (Flink's `numRecords*PerSecond`, a 10 s sliding window).
 *
 * @public
 */
export function collectOperators(
  metrics: readonly OperatorMetricInput[],
  snapshots: readonly SubtaskMetricInput[] = [],
  previous?: CountSample,
  nowMs?: number,
): OperatorProgress[] {
  const byId = new Map<string, { name: string; metrics: Map<string, OperatorMetricInput> }>();
  for (const m of metrics) {
    const id = m.variables['<operator_id>'] ?? m.variables['<operator_name>'];
    if (id === undefined) continue;
    let op = byId.get(id);
    if (op === undefined) {
      op = { name: m.variables['<operator_name>'] ?? id, metrics: new Map() };
      byId.set(id, op);
    }
    op.metrics.set(m.name, m);
  }
  const positions = chainPositions(snapshots);
  const seconds = previous !== undefined && nowMs !== undefined ? (nowMs - previous.atMs) / 1000 : 0;
  const ops: (OperatorProgress & { order: number; pos: ChainPosition | undefined })[] = [];
  let order = 0;
  for (const [id, op] of byId) {
    const count = (n: string): number => {
      const v = op.metrics.get(n)?.sum;
      return typeof v === 'number' && Number.isFinite(v) ? v : 0;
    };
    const recordsIn = count('numRecordsIn');
    const recordsOut = count('numRecordsOut');
    // An operator the previous sample did not know yet (its first metrics arrived since) started from zero.
    const prev = previous === undefined ? undefined : (previous.counts.get(id) ?? { recordsIn: 0, recordsOut: 0 });
    let inRate = op.metrics.get('numRecordsInPerSecond')?.rate ?? 0;
    let outRate = op.metrics.get('numRecordsOutPerSecond')?.rate ?? 0;
    if (prev !== undefined && seconds > 0) {
      inRate = Math.max(0, recordsIn - prev.recordsIn) / seconds;
      outRate = Math.max(0, recordsOut - prev.recordsOut) / seconds;
    }
    const pos = positions.get(id);
    const pending = op.metrics.get('pendingRecords')?.sum;
    ops.push({
      id,
      name: op.name,
      role: classifyOperator(op.name, recordsIn, recordsOut, pos),
      recordsIn,
      recordsOut,
      recordsInPerSecond: inRate,
      recordsOutPerSecond: outRate,
      inputWatermark: finiteWatermark(op.metrics.get('currentInputWatermark')),
      outputWatermark: finiteWatermark(op.metrics.get('currentOutputWatermark')),
      lateRecordsDropped: count('numLateRecordsDropped'),
      recordsInErrors: count('numRecordsInErrors'),
      ...(typeof pending === 'number' && Number.isFinite(pending) ? { pendingRecords: pending } : {}),
      order: order++,
      pos,
    });
  }
  ops.sort(
    (a, b) =>
      ROLE_RANK[a.role] - ROLE_RANK[b.role] ||
      (a.pos?.task ?? Infinity) - (b.pos?.task ?? Infinity) ||
      (a.pos?.index ?? 0) - (b.pos?.index ?? 0) ||
      a.order - b.order,
  );
  return ops.map(({ order: _o, pos: _p, ...rest }) => rest);
}

/**
 * The counts of a set of operators, to compute rates at the next sample.
 *
 * @public
 */
export function countSample(operators: readonly OperatorProgress[], atMs: number): CountSample {
  const counts = new Map<string, { recordsIn: number; recordsOut: number }>();
  for (const o of operators) counts.set(o.id, { recordsIn: o.recordsIn, recordsOut: o.recordsOut });
  return { atMs, counts };
}

/**
 * A count with a metric suffix: `950`, `12.3k`, `1.2M`, `3.4G`.
 *
 * @public
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [f, u] of units) {
    if (a >= f) {
      const v = n / f;
      // 999.96k would print as "1000.0k": move up a unit instead.
      const digits = Math.abs(v) >= 99.95 ? 0 : 1;
      const text = v.toFixed(digits);
      if (Number(text) >= 1000 && f < 1e12) return formatCount(Math.sign(n) * 1000 * f);
      return text + u;
    }
  }
  return String(n);
}

/**
 * Elapsed time: `4.2s`, `1m05s`, `2h03m04s`.
 *
 * @public
 */
export function formatElapsed(ms: number): string {
  if (!(ms >= 0)) ms = 0;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const total = Math.floor(ms / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const pad = (x: number): string => String(x).padStart(2, '0');
  return h > 0 ? `${h}h${pad(m)}m${pad(s)}s` : `${m}m${pad(s)}s`;
}

/**
 * An event-time watermark in UTC: `HH:MM:SS.mmm` within the first day after the epoch (generated data often
 * starts at 0), `YYYY-MM-DD HH:MM:SS.mmm` otherwise; undefined when there is no meaningful watermark.
 *
 * @public
 */
export function formatWatermark(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) >= MAX_DATE_MS) return undefined;
  const iso = new Date(ms).toISOString(); // 1970-01-01T00:10:04.000Z
  const time = iso.slice(11, 23);
  return ms >= 0 && ms < 86_400_000 ? time : `${iso.slice(0, 10)} ${time}`;
}

/**
 * The event-time progress of the job: the minimum input watermark of its sinks, or, when no sink knows one, the
 * minimum output watermark of the other operators.
 *
 * @public
 */
export function jobWatermark(operators: readonly OperatorProgress[]): number | undefined {
  let min: number | undefined;
  for (const o of operators) if (o.role === 'sink' && o.inputWatermark !== undefined) min = min === undefined ? o.inputWatermark : Math.min(min, o.inputWatermark);
  if (min !== undefined) return min;
  for (const o of operators) if (o.role !== 'sink' && o.outputWatermark !== undefined) min = min === undefined ? o.outputWatermark : Math.min(min, o.outputWatermark);
  return min;
}

/**
 * Records the job lost on purpose, summed over operators: late records dropped by windows and records skipped
 * because they were in error.
 *
 * @public
 */
export function droppedRecords(operators: readonly Pick<OperatorProgress, 'lateRecordsDropped' | 'recordsInErrors'>[]): { readonly lateRecordsDropped: number; readonly recordsInErrors: number } {
  let lateRecordsDropped = 0;
  let recordsInErrors = 0;
  for (const o of operators) {
    lateRecordsDropped += o.lateRecordsDropped ?? 0;
    recordsInErrors += o.recordsInErrors ?? 0;
  }
  return { lateRecordsDropped, recordsInErrors };
}

/**
 * The live status line: elapsed time, each source's output rate and total, each sink's input rate and total, the
 * source's lag when it reports one (its `pendingRecords`), the job's watermark, late records dropped and records skipped (when there were any), the last checkpoint (when
 * checkpointing is on) and the restarts (when there were any), e.g.
 * `12.3s  Source: 1.2M rec/s (14.1M) lag 3.2k  →  Sink: 1.2M rec/s (14.0M)  wm 00:10:04.000  late dropped 1.2k  skipped 12  chk 12 (84 ms, 1.2 MB)`.
 * With `width`, the line is cut to `width - 1` characters so a terminal never wraps it (a wrapped line cannot be
 * redrawn in place with `\r`).
 *
 * @public
 */
export function formatProgressLine(snapshot: ProgressSnapshot, width?: number): string {
  const part = (name: string, rate: number, total: number): string => `${name}: ${formatCount(rate)} rec/s (${formatCount(total)})`;
  const sources = snapshot.operators
    .filter((o) => o.role === 'source')
    .map((o) => part(o.name, o.recordsOutPerSecond, o.recordsOut) + (o.pendingRecords !== undefined ? ` lag ${formatCount(o.pendingRecords)}` : ''));
  const sinks = snapshot.operators.filter((o) => o.role === 'sink').map((o) => part(o.name, o.recordsInPerSecond, o.recordsIn));
  let line = formatElapsed(snapshot.elapsedMs);
  if (sources.length > 0) line += `  ${sources.join(', ')}`;
  if (sinks.length > 0) line += `${sources.length > 0 ? '  →  ' : '  '}${sinks.join(', ')}`;
  if (sources.length === 0 && sinks.length === 0) line += '  starting…';
  const wm = formatWatermark(jobWatermark(snapshot.operators));
  if (wm !== undefined) line += `  wm ${wm}`;
  // Before the checkpoint part: a narrow terminal cuts the line's end, and lost records matter more.
  const dropped = droppedRecords(snapshot.operators);
  if (dropped.lateRecordsDropped > 0) line += `  late dropped ${formatCount(dropped.lateRecordsDropped)}`;
  if (dropped.recordsInErrors > 0) line += `  skipped ${formatCount(dropped.recordsInErrors)}`;
  if (snapshot.checkpoints !== undefined) line += `  ${formatCheckpointProgress(snapshot.checkpoints)}`;
  if (snapshot.restarts !== undefined && snapshot.restarts > 0) line += `  restarts ${snapshot.restarts}`;
  if (width !== undefined && width > 1 && line.length > width - 1) line = `${line.slice(0, Math.max(0, width - 2))}…`;
  return line;
}
