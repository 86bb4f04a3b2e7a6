// The conformance suite of Source implementations: split enumeration and assignment, reader positions in
// checkpoints through the split serializer, restores (same, lower and higher parallelism) without loss or
// duplicates, bounded sources ending, unbounded ones not, readers without splits waiting, and a failed reader's
// splits added back. Every case drives the source through SourceDriver (the runtime's source operator).
import type { Source, SourceSplit, VersionedSerializer } from '@runnel/api';
import { RecordingReaderOutput, TestReaderContext } from '../connector/reader-fakes.js';
import { SourceDriver } from '../connector/source-driver.js';
import { check, checkSameRecords, jsonKey, type ConformanceCase, type ConformanceSuite } from './suite.js';

/**
 * What {@link sourceConformance} needs.
 *
 * @public
 */
export interface SourceConformanceOptions<T, Split extends SourceSplit = SourceSplit, EnumState = unknown> {
  /** Suite name (default `source conformance`). */
  readonly name?: string;
  /** A new source over the same data, called for every run of every case (a restore creates another one). */
  createSource(): Source<T, Split, EnumState> | Promise<Source<T, Split, EnumState>>;
  /**
   * Bounded sources (required for them): every record the source produces, in any order. Giving it declares the
   * source bounded (the unbounded cases are skipped); without it the source must be unbounded.
   */
  readonly expectedRecords?: readonly T[] | (() => readonly T[] | Promise<readonly T[]>);
  /** Unbounded sources: records each run reads (default 200). */
  readonly sampleSize?: number;
  /** Readers of the multi-reader runs (default 2). */
  readonly parallelism?: number;
  /** The identity of a record when comparing (default: its JSON text). */
  readonly recordKey?: (record: T) => string;
  /** Whether every record is distinct, so that a repeated one is a duplicate (default true). */
  readonly distinctRecords?: boolean;
  /** Runs after each case (e.g. deletes files the source read). */
  readonly cleanup?: () => void | Promise<void>;
}

/**
 * The cases every source must pass, as a suite for {@link describeConformance}.
 *
 * @public
 */
export function sourceConformance<T, Split extends SourceSplit = SourceSplit, EnumState = unknown>(options: SourceConformanceOptions<T, Split, EnumState>): ConformanceSuite {
  if (options === null || typeof options !== 'object' || typeof options.createSource !== 'function') {
    throw new TypeError('sourceConformance: options.createSource (a function returning a new Source) is required');
  }
  const p = options.parallelism ?? 2;
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`sourceConformance: parallelism must be a positive integer, got ${p}`);
  const sample = options.sampleSize ?? 200;
  const key = options.recordKey ?? jsonKey;
  const distinct = options.distinctRecords ?? true;

  const bounded = options.expectedRecords !== undefined;
  const source = async (): Promise<Source<T, Split, EnumState>> => {
    const s = await options.createSource();
    if (s === null || typeof s !== 'object' || typeof s.createReader !== 'function') throw new TypeError('sourceConformance: createSource() did not return a Source');
    check(s.boundedness === (bounded ? 'bounded' : 'continuous-unbounded'), () =>
      bounded ? `expectedRecords was given, but the source's boundedness is '${s.boundedness}'` : `the source is '${s.boundedness}', so sourceConformance needs options.expectedRecords (every record it produces)`);
    return s;
  };
  const expected = async (): Promise<readonly T[]> => {
    const e = typeof options.expectedRecords === 'function' ? await options.expectedRecords() : options.expectedRecords;
    if (e === undefined) throw new TypeError('sourceConformance: a bounded source needs options.expectedRecords (every record it produces)');
    return e;
  };
  const wrap = (name: string, kind: 'any' | 'bounded' | 'unbounded', run: () => Promise<void>): ConformanceCase => ({
    name,
    skip: kind === 'bounded' && !bounded ? 'unbounded source' : kind === 'unbounded' && bounded ? 'bounded source' : undefined,
    async run() {
      try {
        await run();
      } finally {
        await options.cleanup?.();
      }
    },
  });

  /** Reads part of the data, checkpoints, reads on (lost with the crash), restores at `to` readers, reads the rest. */
  const restoreCase = async (to: number): Promise<void> => {
    const all = await expected();
    const d1 = await SourceDriver.start(await source(), { parallelism: p });
    await d1.run({ maxRecords: Math.floor(all.length / 2) });
    const cp = await d1.checkpoint();
    const before = d1.recordsAtLastCheckpoint();
    await d1.run({ maxRecords: before.length + Math.ceil(all.length / 4) });
    await d1.crash();
    const d2 = await SourceDriver.start(await source(), { parallelism: to, restore: cp });
    await d2.run();
    check(d2.finished, () => `after a restore at parallelism ${to} not every reader ended`);
    checkSameRecords([...before, ...d2.records()], all, key, `records before the checkpoint plus records after the restore at parallelism ${p} -> ${to}`);
    await d2.close();
  };

  const cases: ConformanceCase[] = [
    wrap('assigns every split once, to registered readers within the parallelism', 'bounded', async () => {
      const d = await SourceDriver.start(await source(), { parallelism: p });
      await d.run();
      const ids = new Set<string>();
      for (const a of d.context.assigned) {
        check(!ids.has(a.split.splitId), () => `split '${a.split.splitId}' was assigned twice`);
        ids.add(a.split.splitId);
        check(d.context.readers.includes(a.subtask), () => `split '${a.split.splitId}' was assigned to subtask ${a.subtask}, which never registered`);
      }
      checkSameRecords(d.records(), await expected(), key, `records read at parallelism ${p}`);
      await d.close();
    }),
    wrap('bounded: every reader ends, after the enumerator signalled no more splits', 'bounded', async () => {
      const d = await SourceDriver.start(await source(), { parallelism: p });
      await d.run();
      check(d.finished, () => 'not every reader reached end of input');
      for (let s = 0; s < p; s++) check(d.context.noMoreSplits.includes(s), () => `reader ${s} ended, but the enumerator never signalled it no more splits`);
      const again = d.reader(0).pollNext();
      check(again === 'end-of-input', () => `a reader that ended reports '${again}' when polled again`);
      await d.close();
    }),
    wrap('bounded: a single reader reads every record exactly once', 'bounded', async () => {
      const d = await SourceDriver.start(await source(), { parallelism: 1 });
      await d.run();
      checkSameRecords(d.records(), await expected(), key, 'records read by one reader');
      await d.close();
    }),
    wrap('a reader without splits waits (nothing available) and ends only after no more splits', 'any', async () => {
      const src = await source();
      const reader = src.createReader(new TestReaderContext(0, 1));
      await reader.start();
      const out = new RecordingReaderOutput<T>();
      const first = reader.pollNext(out);
      check(first === 'nothing-available', () => `a reader without splits reported '${first}' (expected 'nothing-available')`);
      check(out.emitted.length === 0, () => `a reader without splits emitted ${out.emitted.length} records`);
      const available = reader.isAvailable();
      check(available instanceof Promise, () => 'isAvailable() must return a promise');
      if (bounded) {
        reader.notifyNoMoreSplits();
        await Promise.race([available, new Promise((r) => setTimeout(r, 1_000))]);
        const status = reader.pollNext(out);
        check(status === 'end-of-input', () => `a bounded reader without splits reported '${status}' after no more splits (expected 'end-of-input')`);
      }
      await reader.close();
      await reader.close(); // idempotent
    }),
    wrap('checkpointed split positions and enumerator state round-trip through their serializers', 'any', async () => {
      const src = await source();
      const d = await SourceDriver.start(src, { parallelism: p });
      await d.run({ maxRecords: bounded ? Math.floor((await expected()).length / 2) : sample });
      let splits = 0;
      for (let s = 0; s < p; s++) {
        for (const split of d.reader(s).reader.snapshotState(1)) {
          roundTrip(src.splitSerializer, split, `split '${split.splitId}'`);
          splits++;
        }
      }
      const cp = await d.checkpoint();
      check(cp.readers.subtaskIndexes.length === p, () => `the checkpoint holds ${cp.readers.subtaskIndexes.length} readers, expected ${p}`);
      const ser = src.enumeratorStateSerializer;
      check(cp.enumerator.serializerId === ser.id && cp.enumerator.version === ser.version, () => 'the enumerator state was not written with the source\'s serializer');
      roundTrip(ser, ser.deserialize(cp.enumerator.bytes, cp.enumerator.version), 'enumerator state');
      check(!bounded || splits > 0 || d.finished, () => 'half-way through a bounded source no reader holds a split');
      await d.close();
    }),
    wrap('restore at the same parallelism continues without loss or duplicates', 'bounded', () => restoreCase(p)),
    wrap('restore at a lower parallelism continues without loss or duplicates', 'bounded', () => restoreCase(Math.max(1, p - 1))),
    wrap('restore at a higher parallelism continues without loss or duplicates', 'bounded', () => restoreCase(p + 1)),
    wrap('a failed reader: its splits come back (addSplitsBack) and are read without loss', 'bounded', async () => {
      const all = await expected();
      const d = await SourceDriver.start(await source(), { parallelism: p });
      await d.run({ maxRecords: Math.floor(all.length / 3) });
      await d.checkpoint();
      await d.run({ maxRecords: Math.floor((2 * all.length) / 3) });
      await d.failReader(0);
      await d.run();
      checkSameRecords(d.records(), all, key, 'records after reader 0 failed and was restored');
      await d.close();
    }),
    wrap('unbounded: readers do not end', 'unbounded', async () => {
      const d = await SourceDriver.start(await source(), { parallelism: p });
      await d.run({ maxRecords: sample, maxRounds: 100_000 });
      check(!d.finished, () => 'an unbounded source reported end of input');
      check(d.records().length >= sample, () => `an unbounded source produced ${d.records().length} records, expected at least ${sample}`);
      await d.close();
    }),
    wrap('unbounded: a restore continues where the checkpoint was, without repeating records', 'unbounded', async () => {
      const d1 = await SourceDriver.start(await source(), { parallelism: p });
      await d1.run({ maxRecords: sample, maxRounds: 100_000 });
      const cp = await d1.checkpoint();
      const before = d1.recordsAtLastCheckpoint();
      await d1.crash();
      const d2 = await SourceDriver.start(await source(), { parallelism: p, restore: cp });
      await d2.run({ maxRecords: sample, maxRounds: 100_000 });
      check(d2.records().length > 0, () => 'the restored source produced nothing');
      if (distinct) {
        const seen = new Set(before.map(key));
        const repeated = d2.records().filter((r) => seen.has(key(r)));
        check(repeated.length === 0, () => `the restored source repeated ${repeated.length} records read before the checkpoint, e.g. ${key(repeated[0]!)}`);
      }
      await d2.close();
    }),
  ];
  return { name: options.name ?? 'source conformance', cases };
}

function roundTrip<V>(ser: VersionedSerializer<V>, value: V, what: string): void {
  const bytes = ser.serialize(value);
  const back = ser.deserialize(bytes, ser.version);
  const again = ser.serialize(back);
  check(again.length === bytes.length && again.every((b, i) => b === bytes[i]), () => `${what} does not round-trip through serializer '${ser.id}' v${ser.version} (bytes differ)`);
  if (typeof (value as { splitId?: unknown }).splitId === 'string') {
    check((back as { splitId?: unknown }).splitId === (value as { splitId: string }).splitId, () => `${what}: its splitId changed in a serializer round trip`);
  }
}
