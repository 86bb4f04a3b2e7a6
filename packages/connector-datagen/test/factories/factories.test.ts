import { describe, expect, it } from 'vitest';
import { nexmarkConnectorFactory } from '../../src/factories/nexmark-factory.js';
import { dataGenFieldsFromOptions, datagenConnectorFactory } from '../../src/factories/datagen-factory.js';
import { nexmarkConfigFromOptions, nexmarkRateLimitFromOptions } from '../../src/nexmark/nexmark-options.js';
import { printConnectorFactory } from '../../src/factories/print-factory.js';
import { blackholeConnectorFactory } from '../../src/factories/blackhole-factory.js';
import { NexmarkSource } from '../../src/nexmark/nexmark-source.js';
import { DataGenSource } from '../../src/datagen/datagen-source.js';
import { PrintSink } from '../../src/sinks/print-sink.js';
import { BlackholeSink } from '../../src/sinks/blackhole-sink.js';
import type { DataGenRow } from '../../src/datagen/datagen-fields.js';
import type { MetricGroup, ReaderOutput, SourceReaderContext } from '@runnel/api';

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
    expect(nexmarkConnectorFactory.options.map((o) => ('key' in o ? o.key : o.prefix))).toContain('bid.hot-ratio.auctions');
    expect(() =>
      nexmarkConnectorFactory.createSource!({ name: 't', options: { 'first-event.rate': '1000', 'next-event.rate': '2000' } }),
    ).toThrow(/not supported/);
    expect(() => nexmarkConnectorFactory.createSource!({ name: 't', options: { 'events.num': 'many' } })).toThrow(
      "nexmark: option 'events.num': 'many' is not an integer",
    );
    expect(() => nexmarkConnectorFactory.createSource!({ name: 't', options: { 'event.num': '5' } })).toThrow(
      /^nexmark: unknown option 'event\.num' \(did you mean 'events\.num'\?\); valid options: events\.num, first-event\.rate, /,
    );
    // What the old parsers read still reads: decimal rates, memory sizes in k/kb/m/mb/bytes (and now g, t, kib, ...).
    const config = (options: Record<string, string>) => (nexmarkConnectorFactory.createSource!({ name: 't', options }) as NexmarkSource).config;
    expect(config({ 'first-event.rate': '2.5', 'bid.avg-size': '2 k', 'person.avg-size': '1 mb', 'auction.avg-size': '12 bytes' })).toMatchObject({
      firstEventRate: 2.5,
      bidAvgSize: 2048,
      personAvgSize: 1024 ** 2,
      auctionAvgSize: 12,
    });
    expect(config({ 'rate.shape': 'sine', 'base-time': '1704067200000', seed: '-3' })).toMatchObject({ baseTime: 1_704_067_200_000, seed: -3 });
  });

  it('nexmark: rate limit from rate-limit, or from rate.limited at the event rate', () => {
    const limit = (options: Record<string, string>) =>
      nexmarkRateLimitFromOptions(options, nexmarkConfigFromOptions(options));
    expect(limit({})).toBe(0);
    expect(limit({ 'rate-limit': '2.5' })).toBe(2.5);
    expect(limit({ 'rate.limited': 'TRUE', 'first-event.rate': '500' })).toBe(500);
    expect(() => limit({ 'rate-limit': '-1' })).toThrow("nexmark: option 'rate-limit': '-1' is out of range (expected at least 0)");
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
    // A minimal reader context and output: this package cannot depend on @runnel/testing (the runtime depends on it).
    const context: SourceReaderContext = { subtaskIndex: 0, parallelism: 1, metricGroup: {} as MetricGroup, sendSplitRequest() {}, sendSourceEventToCoordinator() {} };
    const reader = source.createReader(context);
    reader.addSplits(source.createSplits(1));
    const out = { records: [] as DataGenRow[] };
    const output: ReaderOutput<DataGenRow> = { collect: (r) => void out.records.push(r), createOutputForSplit: () => output, releaseOutputForSplit() {}, markIdle() {} };
    reader.pollNext(output);
    expect(out.records.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(out.records.every((r) => (r.qty as number) >= 1 && (r.qty as number) <= 3)).toBe(true);
    expect(out.records.every((r) => (r.code as string).length === 4)).toBe(true);
    const ctx = (options: Record<string, string>, type = 'INT') => ({ name: 't', columns: [{ name: 'a', type, nullable: true }], options });
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.b.kind': 'random' }))).toThrow(
      "datagen table 't': option 'fields.b.kind': no column 'b'",
    );
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.colour': 'red' }))).toThrow(
      /^datagen table 't': unknown option 'fields\.a\.colour'; valid options: rows-per-second, number-of-rows, seed, fields\.a\.kind, fields\.a\.min, /,
    );
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.knd': 'sequence' }))).toThrow(
      /unknown option 'fields\.a\.knd' \(did you mean 'fields\.a\.kind'\?\)/,
    );
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'rows-per-secnd': '5' }))).toThrow(
      /unknown option 'rows-per-secnd' \(did you mean 'rows-per-second'\?\)/,
    );
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.min': '1.5' }))).toThrow("option 'fields.a.min': '1.5' is not an integer");
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.kind': 'sequense' }))).toThrow(
      "option 'fields.a.kind': 'sequense' is not one of random, sequence (did you mean 'sequence'?)",
    );
    expect(() => datagenConnectorFactory.createSource!(ctx({ 'fields.a.null-rate': '2' }))).toThrow(/'2' is out of range \(expected 0 to 1\)/);
    // A double column takes fractional bounds; durations of max-past as before.
    const spec = dataGenFieldsFromOptions([{ name: 'd', type: 'DOUBLE', nullable: true }, { name: 't', type: 'TIMESTAMP(3)', nullable: true }], {
      'fields.d.min': '0.5',
      'fields.d.max': '1.5',
      'fields.t.max-past': '1 min',
    });
    expect(spec['d']).toMatchObject({ min: 0.5, max: 1.5, kind: 'random' });
    expect(spec['t']).toMatchObject({ maxPastMs: 60_000 });
    expect(() => datagenConnectorFactory.createSource!(ctx({}, 'ARRAY<INT>'))).toThrow(/not supported/);
  });

  it('print and blackhole create their sinks', () => {
    expect(printConnectorFactory.createSink!({ name: 'p', options: { 'print-identifier': 'x', 'standard-error': 'true' } })).toBeInstanceOf(
      PrintSink,
    );
    expect(() => printConnectorFactory.createSink!({ name: 'p', options: { 'standard-error': 'yes' } })).toThrow(
      "print table 'p': option 'standard-error': 'yes' is not a boolean (expected true or false)",
    );
    expect(() => printConnectorFactory.createSink!({ name: 'p', options: { 'print-identifer': 'x' } })).toThrow(
      "print table 'p': unknown option 'print-identifer' (did you mean 'print-identifier'?); valid options: print-identifier, standard-error",
    );
    expect(blackholeConnectorFactory.createSink!({ name: 'b', options: {} })).toBeInstanceOf(BlackholeSink);
    expect(() => blackholeConnectorFactory.createSink!({ name: 'b', options: { 'x': '1' } })).toThrow("blackhole table 'b': unknown option 'x'; there are none");
    for (const f of [nexmarkConnectorFactory, datagenConnectorFactory, printConnectorFactory, blackholeConnectorFactory]) {
      expect(f.apiVersion).toBe('^0.1.0');
    }
  });
});
