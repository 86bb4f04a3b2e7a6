import { describe, expect, it } from 'vitest';
import { nexmarkConnectorFactory } from '../../src/factories/nexmark-factory.js';
import { datagenConnectorFactory } from '../../src/factories/datagen-factory.js';
import { printConnectorFactory } from '../../src/factories/print-factory.js';
import { blackholeConnectorFactory } from '../../src/factories/blackhole-factory.js';
import { NexmarkSource } from '../../src/nexmark/nexmark-source.js';
import { DataGenSource } from '../../src/datagen/datagen-source.js';
import { PrintSink } from '../../src/sinks/print-sink.js';
import { BlackholeSink } from '../../src/sinks/blackhole-sink.js';
import type { DataGenRow } from '../../src/datagen/datagen-fields.js';
import { RecordingOutput, readerContext } from '../fakes.js';

describe('connector factories', () => {
  it('nexmark: accepts the benchmark DDL options', () => {
    const source = nexmarkConnectorFactory.createSource!({
      name: 'datagen',
      options: {
        'first-event.rate': '1000',
        'next-event.rate': '1000',
        'events.num': '5000',
        'person.proportion': '2',
        'auction.proportion': '3',
        'bid.proportion': '45',
        'bid.avg-size': '1kb',
      },
    }) as NexmarkSource;
    expect(source).toBeInstanceOf(NexmarkSource);
    expect(source.boundedness).toBe('bounded');
    expect(source.config).toMatchObject({ firstEventRate: 1000, eventsNum: 5000, personProportion: 2, bidAvgSize: 1024 });
    expect(nexmarkConnectorFactory.options.map((o) => o.key)).toContain('bid.hot-ratio.auctions');
    expect(() =>
      nexmarkConnectorFactory.createSource!({ name: 't', options: { 'first-event.rate': '1000', 'next-event.rate': '2000' } }),
    ).toThrow(/not supported/);
    expect(() => nexmarkConnectorFactory.createSource!({ name: 't', options: { 'events.num': 'many' } })).toThrow(/events\.num/);
  });

  it('datagen: builds fields from columns and fields.* options', () => {
    const source = datagenConnectorFactory.createSource!({
      name: 'orders',
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false },
        { name: 'qty', type: 'SMALLINT', nullable: true },
        { name: 'code', type: 'VARCHAR(4)', nullable: true },
        { name: 'ts', type: 'TIMESTAMP(3)', nullable: true },
      ],
      options: {
        'rows-per-second': '0',
        'fields.id.kind': 'sequence',
        'fields.id.start': '1',
        'fields.id.end': '100',
        'fields.qty.max': '3',
        'fields.qty.min': '1',
        'fields.ts.max-past': '5 s',
      },
    }) as DataGenSource;
    expect(source).toBeInstanceOf(DataGenSource);
    expect(source.totalRows).toBe(100);
    const reader = source.createReader(readerContext(0, 1));
    reader.addSplits(source.createSplits(1));
    const out = new RecordingOutput<DataGenRow>();
    reader.pollNext(out);
    expect(out.records.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(out.records.every((r) => (r.qty as number) >= 1 && (r.qty as number) <= 3)).toBe(true);
    expect(out.records.every((r) => (r.code as string).length === 4)).toBe(true);
    const ctx = (options: Record<string, string>, type = 'INT') => ({ name: 't', columns: [{ name: 'a', type, nullable: true }], options });
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.b.kind': 'random' }))).toThrow(/no column 'b'/);
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.colour': 'red' }))).toThrow(/unknown field option/);
    expect(() => datagenConnectorFactory.createSource!(ctx({}, 'ARRAY<INT>'))).toThrow(/not supported/);
  });

  it('print and blackhole create their sinks', () => {
    expect(printConnectorFactory.createSink!({ name: 'p', options: { 'print-identifier': 'x', 'standard-error': 'true' } })).toBeInstanceOf(
      PrintSink,
    );
    expect(() => printConnectorFactory.createSink!({ name: 'p', options: { 'standard-error': 'yes' } })).toThrow(/standard-error/);
    expect(blackholeConnectorFactory.createSink!({ name: 'b', options: {} })).toBeInstanceOf(BlackholeSink);
    for (const f of [nexmarkConnectorFactory, datagenConnectorFactory, printConnectorFactory, blackholeConnectorFactory]) {
      expect(f.apiVersion).toBe('^0.1.0');
    }
  });
});
