// Runs @runnel/testing's source and sink conformance suites against @runnel/connector-datagen's sources (datagen,
// Nexmark; bounded and unbounded) and its at-least-once print sink.
import { describe, it } from 'vitest';
import { DataGenSource, NexmarkSource, PrintSink, type DataGenRow, type NexmarkEvent } from '@runnel/connector-datagen';
import { describeConformance, sinkConformance, sourceConformance } from '@runnel/testing';

describeConformance(
  sourceConformance<DataGenRow>({
    name: 'datagen source (bounded sequence)',
    createSource: () => new DataGenSource({ fields: { id: { type: 'bigint', kind: 'sequence', start: 1, end: 500 }, s: { type: 'string', length: 4 } }, rowsPerSecond: 0, batchSize: 16 }),
    // Rows are identified by their sequence id (the random column is not compared).
    expectedRecords: Array.from({ length: 500 }, (_, i) => ({ id: i + 1 }) as DataGenRow),
    recordKey: (r) => String(r.id),
  }),
  { describe, it },
);

describeConformance(
  sourceConformance<DataGenRow>({
    name: 'datagen source (unbounded)',
    createSource: () => new DataGenSource({ fields: { n: { type: 'int', min: 0, max: 9 } }, rowsPerSecond: 0, batchSize: 16 }),
    // Random values repeat: no duplicate check, only that a restore continues.
    distinctRecords: false,
  }),
  { describe, it },
);

describeConformance(
  sourceConformance<NexmarkEvent>({
    name: 'nexmark source (unbounded)',
    createSource: () => new NexmarkSource({}, { batchSize: 16 }),
  }),
  { describe, it },
);

const printed = new WeakMap<object, string[]>();
describeConformance(
  sinkConformance<{ i: number }>({
    name: 'print sink (at least once)',
    twoPhaseCommit: false,
    createSink() {
      const lines: string[] = [];
      const sink = new PrintSink<{ i: number }>({ writer: { write: (t) => void lines.push(...t.split('\n').filter((l) => l.length > 0)) } });
      printed.set(sink, lines);
      return sink;
    },
    readCommitted: (sink) => printed.get(sink)!.map((l) => JSON.parse(l.replace(/^[^{]*/, '')) as { i: number }),
  }),
  { describe, it },
);
