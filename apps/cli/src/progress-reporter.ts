// The live progress display of `runnel run`: samples a running job's metrics on a timer and writes the status line
// from `progress.ts`. On a terminal the line is redrawn in place about once a second; elsewhere (a pipe, a file,
// CI logs) a plain line is appended every few seconds, without control characters, so logs stay readable.
import {
  collectOperators,
  countSample,
  formatProgressLine,
  type CountSample,
  type OperatorMetricInput,
  type SubtaskMetricInput,
} from './progress.js';
import { countRestarts, type CheckpointCounts, type CheckpointTally } from './checkpoints.js';
import type { CheckpointStats, JobEvent } from '@runnel/runtime';

/**
 * Where progress goes: a writable stream such as `process.stdout` (only these members are used).
 *
 * @public
 */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * What the reporter samples: a `JobClient` fits.
 *
 * @public
 */
export interface ProgressSource {
  operatorMetrics(): readonly OperatorMetricInput[];
  metrics(): readonly SubtaskMetricInput[];
  /** Checkpoint history of the current attempt (read when the reporter has a `checkpoints` tally). */
  checkpointHistory?(): readonly CheckpointStats[];
  /** The job's events; restarts are counted from them. */
  events?(): readonly JobEvent[];
}

/**
 * Options of a ProgressReporter.
 *
 * @public
 */
export interface ProgressReporterOptions {
  /** When the job was started (ms, same clock as `now`). */
  readonly startedAt: number;
  /** Redraw interval on a terminal; default 1000 ms. */
  readonly ttyIntervalMs?: number;
  /** Line interval elsewhere; default 5000 ms. */
  readonly plainIntervalMs?: number;
  /** Rates are measured over about this much time; default 5000 ms. */
  readonly rateWindowMs?: number;
  readonly now?: () => number;
  /**
   * The run's checkpoint tally, fed from the source's history at every update; shown in the line when
   * `checkpointing` is set or a checkpoint was seen. Undefined: no checkpoint part.
   */
  readonly checkpoints?: CheckpointTally;
  /** Checkpointing is configured: show the checkpoint part even before the first checkpoint completed. */
  readonly checkpointing?: boolean;
}

// Carriage return, then "erase entire line": the cursor stays in column 0 for the next draw.
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Samples a job's metrics periodically and shows them as a status line.
 *
 * @public
 */
export class ProgressReporter {
  private timer: ReturnType<typeof setInterval> | undefined;
  // Recent count samples, oldest first. Subtasks report their counts about once a second, out of step with this
  // timer, so a rate over a single interval jumps between 0 and twice the real one; a few seconds smooth it.
  private samples: CountSample[] = [];
  private drawn = false;
  private readonly now: () => number;

  constructor(
    private readonly source: ProgressSource,
    private readonly out: ProgressOutput,
    private readonly opts: ProgressReporterOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** True when the line is redrawn in place (the output is a terminal). */
  get live(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    if (this.timer !== undefined) return;
    const interval = this.live ? (this.opts.ttyIntervalMs ?? 1000) : (this.opts.plainIntervalMs ?? 5000);
    this.samples = [countSample(collectOperators(this.source.operatorMetrics(), this.source.metrics()), this.now())];
    this.timer = setInterval(() => this.tick(), interval);
    // Progress must never keep a finished CLI alive.
    this.timer.unref?.();
    if (this.live) this.tick();
  }

  /** Samples and writes one update. */
  tick(): void {
    const now = this.now();
    const windowMs = this.opts.rateWindowMs ?? 5000;
    // Keep the newest sample that is at least a window old (the base of the rate), and everything after it.
    while (this.samples.length > 1 && now - this.samples[1]!.atMs >= windowMs) this.samples.shift();
    const operators = collectOperators(this.source.operatorMetrics(), this.source.metrics(), this.samples[0], now);
    this.samples.push(countSample(operators, now));
    const tally = this.opts.checkpoints;
    if (tally !== undefined && this.source.checkpointHistory) tally.observe(this.source.checkpointHistory());
    const events = this.source.events?.();
    const snapshot = {
      elapsedMs: now - this.opts.startedAt,
      operators,
      checkpoints: this.checkpointPart(),
      restarts: events === undefined ? 0 : countRestarts(events),
    };
    if (this.live) {
      this.out.write(CLEAR_LINE + formatProgressLine(snapshot, this.out.columns));
      this.drawn = true;
    } else {
      this.out.write(formatProgressLine(snapshot) + '\n');
    }
  }

  // Shown when checkpointing is configured, or as soon as the job (which may enable it in code) took one.
  private checkpointPart(): CheckpointCounts | undefined {
    const counts = this.opts.checkpoints?.counts();
    if (counts === undefined) return undefined;
    return this.opts.checkpointing === true || counts.completed > 0 || counts.failed > 0 ? counts : undefined;
  }

  /** Erases the live line, so that the next output starts in an empty line. */
  clear(): void {
    if (this.drawn) this.out.write(CLEAR_LINE);
    this.drawn = false;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
