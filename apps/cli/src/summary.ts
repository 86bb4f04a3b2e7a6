// The end-of-job summary: built from the final per-operator progress, printed as a small aligned table or, with
// `--json`, as one JSON document that scripts can read (stable field names, counts as plain numbers). Records the
// job lost on purpose (late records dropped, erroneous records skipped) are part of it, per operator and in total,
// so that a run which silently dropped data does not look like a clean one.
import type { JobEvent } from '@runnel/runtime';
import { formatCheckpoint, formatEvent, type CheckpointCounts } from './checkpoints.js';
import { droppedRecords, formatCount, formatElapsed, type OperatorProgress, type OperatorRole } from './progress.js';

/**
 * How a job run ended.
 *
 * @public
 */
export type RunOutcome = 'finished' | 'failed' | 'canceled';

/**
 * One operator's totals in a summary; rates are averages over the job's duration.
 *
 * @public
 */
export interface OperatorSummary {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  /** Late records the operator dropped (`numLateRecordsDropped`; window operators without a late-data output). */
  readonly lateRecordsDropped: number;
  /** Records the operator skipped as erroneous (`numRecordsInErrors`; e.g. malformed lines with `ignoreParseErrors`). */
  readonly recordsInErrors: number;
}

/**
 * A completed checkpoint in a summary (fields the runtime did not report are absent).
 *
 * @public
 */
export interface CheckpointSummary {
  readonly id: number;
  readonly durationMs?: number;
  readonly sizeBytes?: number;
  readonly alignmentMs?: number;
  /** Its directory. */
  readonly path?: string;
  /** When it was triggered (ms since the epoch). */
  readonly triggeredAt: number;
}

/**
 * Checkpoint totals of a run.
 *
 * @public
 */
export interface CheckpointsSummary {
  readonly completed: number;
  /** Failed checkpoints, not counting those aborted because the job ended. */
  readonly failed: number;
  /** The newest completed checkpoint, or null. */
  readonly last: CheckpointSummary | null;
}

/**
 * A job event in a summary (`restored`, `restarting`, `checkpoint-corrupted`, `failed`).
 *
 * @public
 */
export interface EventSummary {
  readonly type: JobEvent['type'];
  /** When it happened (ms since the epoch). */
  readonly timestamp: number;
  readonly message: string;
  /** The checkpoint or savepoint it concerns (restored from, skipped). */
  readonly checkpointId?: number;
}

/**
 * The summary `runnel run --json` prints.
 *
 * @public
 */
export interface JobSummary {
  readonly status: RunOutcome;
  readonly jobId: string | undefined;
  readonly jobName: string;
  readonly durationMs: number;
  /** Records emitted by all sources, and per second over the duration. */
  readonly sourceRecords: number;
  readonly sourceRecordsPerSecond: number;
  /** Records received by all sinks, and per second over the duration. */
  readonly sinkRecords: number;
  readonly sinkRecordsPerSecond: number;
  /** Late records dropped by all operators (the sum of their `lateRecordsDropped`). */
  readonly lateRecordsDropped: number;
  /** Records skipped as erroneous by all operators (the sum of their `recordsInErrors`). */
  readonly recordsInErrors: number;
  /** Operators in dataflow order (sources first, sinks last). */
  readonly operators: readonly OperatorSummary[];
  /** Number of values collected per `collect` channel. */
  readonly collected: Readonly<Record<string, number>>;
  /** The error message when the job failed. */
  readonly error?: string;
  /** How often the job restarted after failures. */
  readonly restarts: number;
  readonly checkpoints: CheckpointsSummary;
  /** The savepoint the job was stopped with (`--savepoint-on-stop`). */
  readonly savepointPath?: string;
  /** Restores, skipped corrupt checkpoints, restarts and the final failure, in order. */
  readonly events: readonly EventSummary[];
}

/**
 * Builds the summary of a run.
 *
 * @public
 */
export function buildSummary(input: {
  readonly status: RunOutcome;
  readonly jobId: string | undefined;
  readonly jobName: string;
  readonly durationMs: number;
  readonly operators: readonly OperatorProgress[];
  readonly collected?: ReadonlyMap<string, readonly unknown[]>;
  readonly error?: string;
  readonly restarts?: number;
  readonly checkpoints?: CheckpointCounts;
  readonly savepointPath?: string;
  readonly events?: readonly JobEvent[];
}): JobSummary {
  const seconds = input.durationMs / 1000;
  const perSecond = (n: number): number => (seconds > 0 ? n / seconds : 0);
  const operators = input.operators.map((o) => ({
    id: o.id,
    name: o.name,
    role: o.role,
    recordsIn: o.recordsIn,
    recordsOut: o.recordsOut,
    recordsInPerSecond: perSecond(o.recordsIn),
    recordsOutPerSecond: perSecond(o.recordsOut),
    lateRecordsDropped: o.lateRecordsDropped ?? 0,
    recordsInErrors: o.recordsInErrors ?? 0,
  }));
  const dropped = droppedRecords(operators);
  let sourceRecords = 0;
  let sinkRecords = 0;
  for (const o of operators) {
    if (o.role === 'source') sourceRecords += o.recordsOut;
    if (o.role === 'sink') sinkRecords += o.recordsIn;
  }
  const collected: Record<string, number> = {};
  for (const [channel, values] of input.collected ?? []) collected[channel] = values.length;
  return {
    status: input.status,
    jobId: input.jobId,
    jobName: input.jobName,
    durationMs: input.durationMs,
    sourceRecords,
    sourceRecordsPerSecond: perSecond(sourceRecords),
    sinkRecords,
    sinkRecordsPerSecond: perSecond(sinkRecords),
    lateRecordsDropped: dropped.lateRecordsDropped,
    recordsInErrors: dropped.recordsInErrors,
    operators,
    collected,
    ...(input.error !== undefined ? { error: input.error } : {}),
    restarts: input.restarts ?? 0,
    checkpoints: {
      completed: input.checkpoints?.completed ?? 0,
      failed: input.checkpoints?.failed ?? 0,
      last: input.checkpoints?.last === undefined ? null : checkpointSummary(input.checkpoints.last),
    },
    ...(input.savepointPath !== undefined ? { savepointPath: input.savepointPath } : {}),
    events: (input.events ?? []).map((e) => ({
      type: e.type,
      timestamp: e.timestamp,
      message: e.message,
      ...(e.checkpointId !== undefined ? { checkpointId: e.checkpointId } : {}),
    })),
  };
}

// Only the fields the runtime reported: JSON has no `undefined`, and a present-but-null size would read as "zero".
function checkpointSummary(c: NonNullable<CheckpointCounts['last']>): CheckpointSummary {
  return {
    id: c.id,
    ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
    ...(c.sizeBytes !== undefined ? { sizeBytes: c.sizeBytes } : {}),
    ...(c.alignmentMs !== undefined ? { alignmentMs: c.alignmentMs } : {}),
    ...(c.path !== undefined ? { path: c.path } : {}),
    triggeredAt: c.triggeredAt,
  };
}

/** Digits grouped by thousands (`1,234,567`), independent of the machine's locale. */
function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Renders rows as columns separated by two spaces; columns listed in `right` are right-aligned (numbers).
 *
 * @public
 */
export function formatTable(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The human-readable summary: headline, per-operator table, throughput, and (when there is something to say)
 * late records dropped, records skipped, checkpoints, restarts, the savepoint and the job's events.
 *
 * @public
 */
export function formatSummary(s: JobSummary): string {
  const seconds = s.durationMs / 1000;
  const took = seconds < 60 ? `${seconds.toFixed(3)} s` : `${formatElapsed(s.durationMs)} (${seconds.toFixed(1)} s)`;
  const stopped = s.savepointPath !== undefined ? ' (stopped with a savepoint)' : '';
  const lines = [`Job '${s.jobName}' ${s.status} in ${took}${stopped}`];
  // The columns of lost records appear only when some operator lost any: most jobs lose nothing, and an empty
  // column would only widen the table. A blank cell is zero, so the operators that did lose records stand out.
  const late = s.lateRecordsDropped > 0;
  const skipped = s.recordsInErrors > 0;
  if (s.operators.length > 0) {
    const header = ['Operator', 'Role', 'Records in', 'Records out'];
    if (late) header.push('Late dropped');
    if (skipped) header.push('Skipped');
    const rows: string[][] = [[...header, 'Rec/s']];
    const count = (n: number): string => (n > 0 ? grouped(n) : '');
    for (const o of s.operators) {
      // A source's throughput is what it emits; everything downstream is measured by what it receives.
      const rate = o.role === 'source' ? o.recordsOutPerSecond : o.recordsInPerSecond;
      const row = [o.name, o.role, grouped(o.recordsIn), grouped(o.recordsOut)];
      if (late) row.push(count(o.lateRecordsDropped));
      if (skipped) row.push(count(o.recordsInErrors));
      rows.push([...row, formatCount(rate)]);
    }
    lines.push('', ...formatTable(rows, new Set(rows[0]!.map((_, i) => i).filter((i) => i >= 2))).map((l) => `  ${l}`));
  }
  lines.push('');
  lines.push(`Throughput: ${formatCount(s.sourceRecordsPerSecond)} rec/s from sources (${grouped(s.sourceRecords)} records), ${formatCount(s.sinkRecordsPerSecond)} rec/s into sinks (${grouped(s.sinkRecords)} records)`);
  if (late) {
    lines.push(
      `Late records dropped: ${grouped(s.lateRecordsDropped)} (they arrived after their window had closed; allow more ` +
        'out-of-orderness in the WatermarkStrategy, keep windows open with .allowedLateness(ms), or route late ' +
        'records to .sideOutputLateData(tag))',
    );
  }
  if (skipped) {
    lines.push(
      `Records skipped: ${grouped(s.recordsInErrors)} (records in errors, e.g. malformed lines skipped by a source with ` +
        'ignoreParseErrors; without it the job fails on the first one, naming its file and line)',
    );
  }
  const channels = Object.entries(s.collected);
  if (channels.length > 0) lines.push(`Collected: ${channels.map(([c, n]) => `${c} ${grouped(n)}`).join(', ')}`);
  const cp = s.checkpoints;
  if (cp.completed > 0 || cp.failed > 0) {
    const last = cp.last === null ? '' : `; last ${formatCheckpoint({ ...cp.last, kind: 'checkpoint', status: 'completed' })}${cp.last.path !== undefined ? ` at ${cp.last.path}` : ''}`;
    lines.push(`Checkpoints: ${grouped(cp.completed)} completed, ${grouped(cp.failed)} failed${last}`);
  }
  if (s.restarts > 0) lines.push(`Restarts: ${grouped(s.restarts)}`);
  if (s.savepointPath !== undefined) lines.push(`Savepoint: ${s.savepointPath}`);
  if (s.events.length > 0) lines.push('Events:', ...s.events.map((e) => `  ${formatEvent(e)}`));
  return lines.join('\n');
}
