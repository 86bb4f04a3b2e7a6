// The conformance suite of Sink implementations: two-phase commit in the runtime's order (pre-commit at barriers,
// commit after the checkpoint completes), idempotent re-commit of restored committables, no loss when a job crashes
// between pre-commit and commit, the end-of-input commit with and without a final checkpoint, and writer state
// surviving restores at other parallelisms. Every case drives the sink through SinkDriver (the runtime's sink
// operator), checkpoints as encoded bytes.
import type { Sink } from '@runnel/api';
import { SinkDriver } from '../connector/sink-driver.js';
import { check, checkSameRecords, jsonKey, type ConformanceCase, type ConformanceSuite } from './suite.js';

/**
 * What {@link sinkConformance} needs.
 *
 * @public
 */
export interface SinkConformanceOptions<T> {
  /** Suite name (default `sink conformance`). */
  readonly name?: string;
  /**
   * A sink writing to a new, empty destination; called once per case (every run of the case, crashed and
   * restored, uses that sink, as a restarted job uses the same destination).
   */
  createSink(): Sink<T, any, any> | Promise<Sink<T, any, any>>;
  /** What is committed (visible to readers of the destination) now, in any order. */
  readCommitted(sink: Sink<T, any, any>): readonly T[] | Promise<readonly T[]>;
  /** Record number `i` (records must be distinct). Default: `{ i }`. */
  readonly record?: (i: number) => T;
  /**
   * Whether the sink commits in two phases (has a committer; default true). An at-least-once sink says false, and the
   * two-phase-commit cases are skipped.
   */
  readonly twoPhaseCommit?: boolean;
  /** Writer subtasks (default 2). */
  readonly parallelism?: number;
  /** The identity of a record when comparing (default: its JSON text). */
  readonly recordKey?: (record: T) => string;
  /** Runs after each case (e.g. deletes the destination). */
  readonly cleanup?: (sink: Sink<T, any, any>) => void | Promise<void>;
}

/**
 * The cases every sink must pass, as a suite for {@link describeConformance}. At-least-once sinks (no committer,
 * `twoPhaseCommit: false`) skip the two-phase-commit cases.
 *
 * @public
 */
export function sinkConformance<T>(options: SinkConformanceOptions<T>): ConformanceSuite {
  if (options === null || typeof options !== 'object' || typeof options.createSink !== 'function' || typeof options.readCommitted !== 'function') {
    throw new TypeError('sinkConformance: options.createSink and options.readCommitted are required');
  }
  const p = options.parallelism ?? 2;
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`sinkConformance: parallelism must be a positive integer, got ${p}`);
  const record = options.record ?? ((i: number) => ({ i }) as T);
  const key = options.recordKey ?? jsonKey;
  let counter = 0;
  /** `n` new records per subtask of `driver`, written; returns them. */
  const write = async (driver: SinkDriver<T>, n: number): Promise<T[]> => {
    const all: T[] = [];
    for (let s = 0; s < driver.parallelism; s++) {
      const rs = Array.from({ length: n }, () => record(counter++));
      await driver.write(s, rs);
      all.push(...rs);
    }
    return all;
  };
  const committed = async (sink: Sink<T, any, any>): Promise<readonly T[]> => [...(await options.readCommitted(sink))];

  const declared = options.twoPhaseCommit ?? true;
  const make = (name: string, twoPhase: boolean, run: (sink: Sink<T, any, any>) => Promise<void>): ConformanceCase => ({
    name,
    skip: twoPhase && !declared ? 'no two-phase commit (twoPhaseCommit: false)' : undefined,
    async run() {
      counter = 0;
      const sink = await options.createSink();
      if (sink === null || typeof sink !== 'object' || typeof sink.createWriter !== 'function') throw new TypeError('sinkConformance: createSink() did not return a Sink');
      try {
        check((typeof sink.createCommitter === 'function') === declared, () =>
          declared ? 'the sink has no committer: pass twoPhaseCommit: false for an at-least-once sink' : 'the sink has a committer, but twoPhaseCommit: false was given');
        if (twoPhase) {
          check(sink.committableSerializer !== undefined, () => 'a sink with a committer needs a committableSerializer (committables go into checkpoints)');
        }
        await run(sink);
      } finally {
        await options.cleanup?.(sink);
      }
    },
  });

  const cases: ConformanceCase[] = [
    make('pre-commits at a checkpoint barrier and commits only when the checkpoint completes', true, async (sink) => {
      const d = await SinkDriver.start(sink, { parallelism: p });
      const first = await write(d, 5);
      await d.checkpoint(1);
      checkSameRecords(await committed(sink), [], key, 'committed after the barrier of checkpoint 1, before it completed');
      const second = await write(d, 3);
      await d.complete(1);
      checkSameRecords(await committed(sink), first, key, 'committed after checkpoint 1 completed (records written after its barrier must wait)');
      await d.checkpoint(2);
      await d.complete(2);
      checkSameRecords(await committed(sink), [...first, ...second], key, 'committed after checkpoint 2 completed');
      await d.close();
    }),
    make('a crash between pre-commit and commit loses nothing after the restore', true, async (sink) => {
      const d = await SinkDriver.start(sink, { parallelism: p });
      const first = await write(d, 4);
      const cp = await d.checkpoint(1);
      await write(d, 2); // after the barrier: replayed by the source after the restore, not the sink's business
      await d.crash();
      checkSameRecords(await committed(sink), [], key, 'committed after a crash before checkpoint 1 completed');
      const r = await SinkDriver.start(sink, { parallelism: p, restore: cp });
      checkSameRecords(await committed(sink), first, key, 'committed once the restored committables of checkpoint 1 were committed');
      await r.close();
    }),
    make('re-committing restored committables that were already committed is idempotent', true, async (sink) => {
      const d = await SinkDriver.start(sink, { parallelism: p });
      const first = await write(d, 4);
      const cp = await d.checkpoint(1);
      await d.complete(1);
      await d.crash();
      checkSameRecords(await committed(sink), first, key, 'committed after checkpoint 1 completed');
      for (let attempt = 1; attempt <= 2; attempt++) {
        const r = await SinkDriver.start(sink, { parallelism: p, restore: cp, attemptNumber: attempt });
        checkSameRecords(await committed(sink), first, key, `committed after restore ${attempt} re-committed checkpoint 1's committables`);
        await r.crash();
      }
    }),
    make('end of input commits the last records (no final checkpoint)', false, async (sink) => {
      const d = await SinkDriver.start(sink, { parallelism: p });
      const first = await write(d, 3);
      if (sink.createCommitter) {
        await d.checkpoint(1);
        await d.complete(1);
      }
      const rest = await write(d, 3);
      await d.finish();
      checkSameRecords(await committed(sink), [...first, ...rest], key, 'committed after end of input');
    }),
    make('with a final checkpoint, end-of-input records are committed when it completes, and survive a crash before', true, async (sink) => {
      const d = await SinkDriver.start(sink, { parallelism: p, finalCheckpoint: true });
      const all = await write(d, 3);
      await d.endInput();
      checkSameRecords(await committed(sink), [], key, 'committed at end of input, before the final checkpoint completed');
      const fin = await d.finalCheckpoint();
      await d.crash();
      const r = await SinkDriver.start(sink, { parallelism: p, restore: fin, finalCheckpoint: true });
      checkSameRecords(await committed(sink), all, key, 'committed after a restore from the final checkpoint');
      await r.close();
    }),
    make('writer state and committables survive restores at a higher and a lower parallelism', false, async (sink) => {
      const twoPhase = declared;
      const d1 = await SinkDriver.start(sink, { parallelism: p });
      const a = await write(d1, 4);
      const cp1 = await d1.checkpoint();
      if (twoPhase) await write(d1, 2); // lost with the crash: after the barrier
      await d1.crash();
      const d2 = await SinkDriver.start(sink, { parallelism: p + 1, restore: cp1 });
      const b = await write(d2, 3);
      const cp2 = await d2.checkpoint();
      await d2.crash();
      const d3 = await SinkDriver.start(sink, { parallelism: 1, restore: cp2 });
      const c = await write(d3, 2);
      await d3.finish();
      const expected = [...a, ...b, ...c];
      if (twoPhase) checkSameRecords(await committed(sink), expected, key, `committed after restores ${p} -> ${p + 1} -> 1`);
      else {
        const got = await committed(sink);
        const have = new Set(got.map(key));
        const lost = expected.filter((e) => !have.has(key(e)));
        check(lost.length === 0, () => `an at-least-once sink lost ${lost.length} records across restores, e.g. ${key(lost[0]!)}`);
      }
    }),
  ];
  return {
    name: options.name ?? 'sink conformance',
    cases,
  };
}
