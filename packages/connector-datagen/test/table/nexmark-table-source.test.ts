import { describe, expect, it } from 'vitest';
import { rowType, type Row, type RowType, type TableSource } from '@runnel/api/table';
import { nexmarkConnectorFactory } from '../../src/factories/nexmark-factory.js';
import { NexmarkSource } from '../../src/nexmark/nexmark-source.js';
import { NexmarkGenerator } from '../../src/nexmark/generator.js';
import { resolveNexmarkConfig } from '../../src/nexmark/config.js';
import { NexmarkRowProjection } from '../../src/table/nexmark-row-projection.js';
import type { NexmarkEvent } from '../../src/nexmark/model.js';
import type { NexmarkRowSource, NexmarkTableSource } from '../../src/table/nexmark-table-source.js';
import type { SequenceSplit } from '../../src/sequence/sequence-split.js';
import type { Source } from '@runnel/api/connector';
import { RecordingEnumeratorContext, RecordingOutput, pollUntilBlocked, readerContext } from './drivers.js';
import { BIGINT, INT, STRING, columns, row, t, tableContext, timestamp } from './table-context.js';

/** The physical schema of nexmark-flink's `ddl_gen.sql` (the computed `dateTime` column is the planner's). */
const DDL = columns({
  event_type: INT,
  person: row({
    id: BIGINT,
    name: STRING,
    emailAddress: STRING,
    creditCard: STRING,
    city: STRING,
    state: STRING,
    dateTime: timestamp(3),
    extra: STRING,
  }),
  auction: row({
    id: BIGINT,
    itemName: STRING,
    description: STRING,
    initialBid: BIGINT,
    reserve: BIGINT,
    dateTime: timestamp(3),
    expires: timestamp(3),
    seller: BIGINT,
    category: BIGINT,
    extra: STRING,
  }),
  bid: row({ auction: BIGINT, bidder: BIGINT, price: BIGINT, channel: STRING, url: STRING, dateTime: timestamp(3), extra: STRING }),
});

const OPTIONS = {
  'first-event.rate': '1000',
  'next-event.rate': '1000',
  'events.num': '600',
  'person.proportion': '1',
  'auction.proportion': '3',
  'bid.proportion': '46',
};

const create = (physical: RowType, options: Record<string, string> = OPTIONS): TableSource =>
  nexmarkConnectorFactory.createTableSource!(tableContext('datagen', physical, 'nexmark', options));

/** Runs a source at `parallelism` to its end; returns all records in subtask order, and their timestamps. */
function scan<T>(source: Source<T, SequenceSplit, any>, parallelism: number): { records: T[]; timestamps: (number | undefined)[] } {
  const enumCtx = new RecordingEnumeratorContext<SequenceSplit>(parallelism);
  const enumerator = source.createEnumerator(enumCtx);
  const o = new RecordingOutput<T>();
  for (let i = 0; i < parallelism; i++) {
    enumerator.addReader(i);
    const reader = source.createReader(readerContext(i, parallelism));
    reader.addSplits(enumCtx.assigned.get(i) ?? []);
    reader.notifyNoMoreSplits();
    expect(pollUntilBlocked(reader, o)).toBe('end-of-input');
  }
  return { records: o.records, timestamps: o.timestamps };
}

/** The DDL row of an event, by hand. */
function expectedRow(e: NexmarkEvent): unknown[] {
  const p = e.person;
  const a = e.auction;
  const b = e.bid;
  return [
    e.eventType,
    p && [BigInt(p.id), p.name, p.emailAddress, p.creditCard, p.city, p.state, p.dateTime, p.extra],
    a && [BigInt(a.id), a.itemName, a.description, BigInt(a.initialBid), BigInt(a.reserve), a.dateTime, a.expires, BigInt(a.seller), BigInt(a.category), a.extra],
    b && [BigInt(b.auction), BigInt(b.bidder), BigInt(b.price), b.channel, b.url, b.dateTime, b.extra],
  ];
}

describe('nexmark table source', () => {
  it('produces the DataStream source\'s events as rows of the DDL, at any parallelism', () => {
    const table = create(DDL) as NexmarkTableSource;
    expect(table.bounded).toBe(true);
    expect(table.changelogMode.kinds).toEqual([0]);
    expect(table.summary()).toBe('Nexmark(first-event.rate=1000, events.num=600, proportions=1/3/46)');
    const events = scan(nexmarkConnectorFactory.createSource!({ name: 'datagen', options: OPTIONS }) as NexmarkSource, 2).records;
    const rows = scan(table.createSource({ physicalType: DDL, metadataKeys: [] }), 2);
    expect(rows.records.length).toBe(600);
    expect(rows.records.every((r) => r.kind === 0)).toBe(true);
    expect(rows.records.map((r) => r.fields)).toEqual(events.map(expectedRow));
    // Rows carry the event time, as the DataStream source's records do.
    expect(rows.timestamps).toEqual(events.map((e) => (e.bid ?? e.auction ?? e.person)!.dateTime));
    // The same set of events at parallelism 1.
    const single = scan((create(DDL) as NexmarkTableSource).createSource({ physicalType: DDL, metadataKeys: [] }), 1).records;
    const key = (r: Row) => JSON.stringify(r.fields, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(new Set(single.map(key))).toEqual(new Set(rows.records.map(key)));
  });

  it('matches columns and ROW fields by name: any order, fields left out (the older DDL has no bid.channel), projections', () => {
    const reordered = columns({
      bid: row({ price: BIGINT, auction: BIGINT, dateTime: timestamp(3), extra: STRING }),
      event_type: INT,
    });
    const source = create(reordered).createSource({ physicalType: reordered, metadataKeys: [] }) as NexmarkRowSource;
    const { records } = scan(source, 1);
    const events = scan(new NexmarkSource(source.config), 1).records;
    expect(records.map((r) => r.fields)).toEqual(
      events.map((e) => [e.bid && [BigInt(e.bid.price), BigInt(e.bid.auction), e.bid.dateTime, e.bid.extra], e.eventType]),
    );
    const onlyType = rowType([{ name: 'event_type', type: INT }]);
    expect(scan((create(DDL) as NexmarkTableSource).createSource({ physicalType: onlyType, metadataKeys: [] }), 1).records.slice(0, 5).map((r) => r.fields)).toEqual([[0], [1], [1], [1], [2]]);
  });

  it('builds the same rows with its generated projection as with the interpreted one', () => {
    const physicals = [
      DDL,
      columns({ bid: row({ price: BIGINT, dateTime: timestamp(3), auction: t('DOUBLE') }), event_type: BIGINT }),
      columns({ auction: row({ category: BIGINT, expires: timestamp(3), itemName: STRING }), person: row({ state: STRING, id: t('DOUBLE') }) }),
    ];
    for (const physical of physicals) {
      const projection = new NexmarkRowProjection('test', physical);
      const g = new NexmarkGenerator(resolveNexmarkConfig({ firstEventRate: 1000, eventsNum: 200 }));
      for (let n = 0; n < 200; n++) {
        const e = g.generate(n);
        const generated = projection.project(e);
        expect(generated).toEqual(projection.interpret(e));
        expect(generated.length).toBe(physical.fields.length);
      }
    }
    // The generated function is in use (not the fallback), and converts BIGINT fields to bigint.
    expect(new NexmarkRowProjection('test', DDL).project.name).toBe('project');
    const bid = new NexmarkRowProjection('test', columns({ bid: row({ auction: BIGINT }) })).project(new NexmarkGenerator(resolveNexmarkConfig({ eventsNum: 50 })).generate(49));
    expect(bid).toEqual([[expect.any(BigInt)]]);
  });

  it('reads every nexmark-flink option, and is unbounded without events.num', () => {
    const table = create(DDL, { 'first-event.rate': '5000', 'rate.shape': 'SQUARE', 'rate.period': '10 min', 'rate.limited': 'false', 'bid.avg-size': '2 kb' }) as NexmarkTableSource;
    expect(table.bounded).toBe(false);
    expect(table.config).toMatchObject({ firstEventRate: 5000, bidAvgSize: 2048, eventsNum: 0 });
  });

  it('refuses columns nexmark cannot fill, naming them', () => {
    expect(() => create(columns({ events_type: INT }))).toThrow(
      "nexmark table 'datagen': nexmark has no column 'events_type' (did you mean 'event_type'?); its columns: event_type, person, auction, bid",
    );
    expect(() => create(columns({ bid: row({ bidr: BIGINT }) }))).toThrow(
      "nexmark table 'datagen': nexmark has no column 'bid.bidr' (did you mean 'bid.bidder'?)",
    );
    expect(() => create(columns({ person: row({ id: INT }) }))).toThrow(
      "nexmark table 'datagen': column 'person.id' is declared INT; nexmark produces BIGINT or DOUBLE there",
    );
    expect(() => create(columns({ person: STRING }))).toThrow("nexmark table 'datagen': column 'person' must be a ROW (of id, name, ");
    expect(() => create(columns({ bid: row({ dateTime: t('DATE') }) }))).toThrow("column 'bid.dateTime' is declared DATE; nexmark produces TIMESTAMP or TIMESTAMP_LTZ there");
  });

  it('validates its options with the table in every message', () => {
    expect(() => create(DDL, { 'event.num': '5' })).toThrow(
      /^nexmark table 'datagen': unknown option 'event\.num' \(did you mean 'events\.num'\?\); valid options: events\.num, /,
    );
    expect(() => create(DDL, { 'first-event.rate': '1000', 'next-event.rate': '2000' })).toThrow(
      "not supported: nexmark table 'datagen' 'next-event.rate' (2000) different from 'first-event.rate' (1000)",
    );
    expect(() => create(DDL).createSource({ physicalType: DDL, metadataKeys: ['partition'] })).toThrow(
      "nexmark table 'datagen': the nexmark connector has no metadata (asked for partition)",
    );
  });
});
