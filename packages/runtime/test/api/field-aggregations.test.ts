// Field aggregations (sum/min/max/minBy/maxBy) on keyed streams (rolling: one updated aggregate per record) and on
// windows (one result per window), with Flink's semantics: min/max change only the field and keep the other fields
// of the first record, minBy/maxBy return whole records with `first` deciding ties, bigint sums are exact and never
// mix with numbers, tuple records take a position, bad fields fail the job naming the operator and the field. Also:
// the operators' derived uids are stable, and their state survives a savepoint and restore.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JobExecutionError,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  type DataStream,
  type KeyedStream,
} from '../../src/index.js';
import { collected, perRecordWatermarks, sortedBy } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

interface Order {
  user: string;
  amount: number;
  note: string;
  ts: number;
}

const order = (user: string, amount: number, note: string, ts = 0): Order => ({ user, amount, note, ts });

/** The source runs at parallelism 1, so each key's records reach the (parallel) keyed operator in order. */
function keyedOrders<T extends { user: string }>(env: StreamExecutionEnvironment, records: T[]): KeyedStream<T, string> {
  return env.fromCollection(records).setParallelism(1).keyBy((r) => r.user);
}

/** Each key's outputs, in emission order. */
function perKey<T>(values: readonly T[], keyOf: (v: T) => string): Record<string, T[]> {
  const m: Record<string, T[]> = {};
  for (const v of values) (m[keyOf(v)] ??= []).push(v);
  return m;
}

async function failure(env: StreamExecutionEnvironment): Promise<JobExecutionError> {
  const e = await env.execute().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(JobExecutionError);
  return e as JobExecutionError;
}

const ORDERS = [
  order('ann', 5, 'a1'),
  order('bob', 10, 'b1'),
  order('ann', 3, 'a2'),
  order('ann', 3, 'a3'),
  order('bob', 12, 'b2'),
  order('ann', 4, 'a4'),
  order('bob', 12, 'b3'),
];

describe('rolling field aggregations on keyed streams', () => {
  it('sum emits the running total per record, the other fields from the key\'s first record', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    keyedOrders(env, ORDERS).sum('amount').collect();
    const out = perKey(collected<Order>(await env.execute()), (o) => o.user);
    expect(out['ann']!.map((o) => [o.amount, o.note])).toEqual([[5, 'a1'], [8, 'a1'], [11, 'a1'], [15, 'a1']]);
    expect(out['bob']!.map((o) => [o.amount, o.note])).toEqual([[10, 'b1'], [22, 'b1'], [34, 'b1']]);
  });

  it('min and max replace only the field and keep the first record\'s other fields (Flink\'s semantics)', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const keyed = keyedOrders(env, ORDERS);
    keyed.min('amount').collect('min');
    keyed.max('amount').collect('max');
    const r = await env.execute();
    const min = perKey(collected<Order>(r, 'min'), (o) => o.user);
    const max = perKey(collected<Order>(r, 'max'), (o) => o.user);
    // ann's minimum 3 first came with note a2, but min reports it in a1's record: a record that never occurred.
    expect(min['ann']!.map((o) => [o.amount, o.note])).toEqual([[5, 'a1'], [3, 'a1'], [3, 'a1'], [3, 'a1']]);
    expect(max['bob']!.map((o) => [o.amount, o.note])).toEqual([[10, 'b1'], [12, 'b1'], [12, 'b1']]);
    expect(max['ann']!.map((o) => [o.amount, o.note])).toEqual([[5, 'a1'], [5, 'a1'], [5, 'a1'], [5, 'a1']]);
  });

  it('minBy and maxBy emit whole records; first=true keeps the earlier of equal records, first=false takes the later', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const keyed = keyedOrders(env, ORDERS);
    keyed.minBy('amount').collect('minBy');
    keyed.minBy('amount', false).collect('minByLast');
    keyed.maxBy('amount').collect('maxBy');
    keyed.maxBy('amount', false).collect('maxByLast');
    const r = await env.execute();
    const notes = (channel: string, user: string) => perKey(collected<Order>(r, channel), (o) => o.user)[user]!.map((o) => o.note);
    expect(notes('minBy', 'ann')).toEqual(['a1', 'a2', 'a2', 'a2']);
    expect(notes('minByLast', 'ann')).toEqual(['a1', 'a2', 'a3', 'a3']);
    expect(notes('maxBy', 'bob')).toEqual(['b1', 'b2', 'b2']);
    expect(notes('maxByLast', 'bob')).toEqual(['b1', 'b2', 'b3']);
    // Whole records: the amount always belongs to the note.
    for (const o of collected<Order>(r, 'minByLast')) expect(ORDERS).toContainEqual(o);
  });

  it('sums bigints exactly, beyond 2^53', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const big = 2n ** 60n;
    keyedOrders(env, [
      { user: 'ann', bytes: big + 1n },
      { user: 'ann', bytes: big + 2n },
      { user: 'ann', bytes: 3n },
    ])
      .sum('bytes')
      .collect();
    const out = collected<{ user: string; bytes: bigint }>(await env.execute());
    expect(out.map((o) => o.bytes)).toEqual([big + 1n, 2n * big + 3n, 2n * big + 6n]);
    // As a double the last total would have lost its low bits.
    expect(BigInt(Number(2n * big + 6n))).not.toBe(2n * big + 6n);
  });

  it('compares strings and Dates', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const day = (d: number) => new Date(Date.UTC(2024, 0, d));
    const keyed = keyedOrders(env, [
      { user: 'ann', name: 'mango', at: day(3) },
      { user: 'ann', name: 'apple', at: day(9) },
      { user: 'ann', name: 'kiwi', at: day(1) },
    ]);
    keyed.min('name').collect('name');
    keyed.maxBy('at').collect('at');
    const r = await env.execute();
    expect(collected<{ name: string }>(r, 'name').map((o) => o.name)).toEqual(['mango', 'apple', 'apple']);
    expect(collected<{ name: string; at: Date }>(r, 'at').map((o) => [o.name, o.at.getTime()])).toEqual([
      ['mango', day(3).getTime()],
      ['apple', day(9).getTime()],
      ['apple', day(9).getTime()],
    ]);
  });

  it('takes a position for tuple records', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const rows: [string, number, string][] = [
      ['ann', 2, 'x'],
      ['ann', 7, 'y'],
      ['bob', 1, 'z'],
      ['ann', 7, 'w'],
    ];
    const keyed = env.fromCollection(rows).setParallelism(1).keyBy((t) => t[0]);
    keyed.sum(1).collect('sum');
    keyed.maxBy(1, false).collect('maxBy');
    const r = await env.execute();
    const sums = perKey(collected<[string, number, string]>(r, 'sum'), (t) => t[0]);
    expect(sums['ann']).toEqual([['ann', 2, 'x'], ['ann', 9, 'x'], ['ann', 16, 'x']]);
    expect(sums['bob']).toEqual([['bob', 1, 'z']]);
    const maxBy = perKey(collected<[string, number, string]>(r, 'maxBy'), (t) => t[0]);
    expect(maxBy['ann']).toEqual([['ann', 2, 'x'], ['ann', 7, 'y'], ['ann', 7, 'w']]);
    expect(Array.isArray(sums['ann']![1])).toBe(true);
  });
});

describe('invalid fields', () => {
  it('rejects fields of the wrong type at compile time, and fails the job at run time naming the operator and field', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    // @ts-expect-error: 'note' is a string field, which sum does not accept
    keyedOrders(env, ORDERS).sum('note').collect();
    const e = await failure(env);
    expect(e.message).toMatch(/operator 'Keyed sum\(note\)' .* sum\(note\): field 'note' is a string in record \{"user":"ann"/);
  });

  it('a null or missing field fails the job, also in the only record of a key', async () => {
    for (const bad of [null, undefined]) {
      const env = StreamExecutionEnvironment.create({ parallelism: 1 });
      const records: { user: string; amount?: number | null }[] = [{ user: 'ann', amount: 1 }, { user: 'bob', amount: bad }];
      keyedOrders(env, records).sum('amount').collect();
      const e = await failure(env);
      expect(e.message).toContain(`operator 'Keyed sum(amount)'`);
      expect(e.message).toContain(`sum(amount): field 'amount' is ${String(bad)} in record {"user":"bob"`);
    }
  });

  it('never mixes number and bigint', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const records = [{ user: 'ann', amount: 1 as number | bigint }, { user: 'ann', amount: 2n as number | bigint }];
    // @ts-expect-error: a field typed number | bigint is neither numeric kind
    keyedOrders(env, records).sum('amount').collect();
    const e = await failure(env);
    expect(e.message).toMatch(/sum\(amount\): cannot add a number and a bigint .*number and bigint are never mixed/);
  });

  it('rejects a negative or fractional position when the job is built', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const keyed = env.fromCollection<number[]>([[1, 2]]).keyBy((t) => t[0]!);
    expect(() => keyed.sum(-1)).toThrow(/sum: the field must be a property name or a non-negative integer position, got -1/);
    expect(() => keyed.maxBy(1.5)).toThrow(/maxBy: .* got 1.5/);
  });
});

interface Ev {
  user: string;
  amount: number;
  note: string;
  ts: number;
}

function timed(env: StreamExecutionEnvironment, events: Ev[]): DataStream<Ev> {
  return env
    .fromCollection(events)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(perRecordWatermarks<Ev>((e) => e.ts))
    .setParallelism(1);
}

// Two tumbling windows of 100 ms per key: ann [0, 100) has a tie on the minimum (3) and on the maximum (9).
const EVENTS: Ev[] = [
  order('ann', 9, 'a1', 10),
  order('ann', 3, 'a2', 20),
  order('bob', 4, 'b1', 30),
  order('ann', 3, 'a3', 40),
  order('ann', 9, 'a4', 50),
  order('ann', 6, 'a5', 150),
  order('bob', 1, 'b2', 160),
  order('bob', 2, 'b3', 170),
];

describe('field aggregations on windows', () => {
  it('emit one result per key and window', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const windowed = () => timed(env, EVENTS).keyBy((e) => e.user).window(TumblingEventTimeWindows.of(100));
    windowed().sum('amount').collect('sum');
    windowed().min('amount').collect('min');
    windowed().max('amount').collect('max');
    windowed().minBy('amount').collect('minBy');
    windowed().minBy('amount', false).collect('minByLast');
    windowed().maxBy('amount').collect('maxBy');
    windowed().maxBy('amount', false).collect('maxByLast');
    const r = await env.execute();
    const results = (channel: string) => sortedBy(collected<Ev>(r, channel), (e) => `${e.user}|${e.note}`).map((e) => `${e.user} ${e.amount} ${e.note}`);
    expect(results('sum')).toEqual(['ann 24 a1', 'ann 6 a5', 'bob 4 b1', 'bob 3 b2']);
    expect(results('min')).toEqual(['ann 3 a1', 'ann 6 a5', 'bob 4 b1', 'bob 1 b2']);
    expect(results('max')).toEqual(['ann 9 a1', 'ann 6 a5', 'bob 4 b1', 'bob 2 b2']);
    expect(results('minBy')).toEqual(['ann 3 a2', 'ann 6 a5', 'bob 4 b1', 'bob 1 b2']);
    expect(results('minByLast')).toEqual(['ann 3 a3', 'ann 6 a5', 'bob 4 b1', 'bob 1 b2']);
    expect(results('maxBy')).toEqual(['ann 9 a1', 'ann 6 a5', 'bob 4 b1', 'bob 2 b3']);
    expect(results('maxByLast')).toEqual(['ann 9 a4', 'ann 6 a5', 'bob 4 b1', 'bob 2 b3']);
  });

  it('windowAll aggregates the whole stream per window, and tuple positions work in windows', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    timed(env, EVENTS).windowAll(TumblingEventTimeWindows.of(100)).sum('amount').collect('all');
    timed(env, EVENTS)
      .map((e): [string, number, number] => [e.user, e.amount, e.ts])
      .setParallelism(1)
      .keyBy((t) => t[0])
      .window(TumblingEventTimeWindows.of(100))
      .minBy(1, false)
      .collect('tuples');
    const r = await env.execute();
    expect(sortedBy(collected<Ev>(r, 'all'), (e) => e.ts).map((e) => [e.amount, e.note])).toEqual([[28, 'a1'], [9, 'a5']]);
    expect(sortedBy(collected<[string, number, number]>(r, 'tuples'), (t) => `${t[0]}|${String(t[2]).padStart(4, '0')}`)).toEqual([
      ['ann', 3, 40],
      ['ann', 6, 150],
      ['bob', 4, 30],
      ['bob', 1, 160],
    ]);
  });

  it('a window whose only record lacks the field fails the job naming the operator and field', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const events = [...EVENTS, { user: 'cy', note: 'c1', ts: 500 } as unknown as Ev];
    timed(env, events).keyBy((e) => e.user).window(TumblingEventTimeWindows.of(100)).max('amount').collect();
    const e = await failure(env);
    expect(e.message).toMatch(/operator 'Window\(max\(amount\)\) [^']*' .*max\(amount\): field 'amount' is undefined in record \{"user":"cy"/);
  });
});

describe('operator identity and state', () => {
  it('derives stable uids that tell aggregations apart, whatever the order they were added in', () => {
    const uids = (order: ('sum' | 'max' | 'sumTs')[]) => {
      const env = StreamExecutionEnvironment.create({ parallelism: 1 });
      const keyed = keyedOrders(env, ORDERS);
      for (const which of order) {
        const s = which === 'sum' ? keyed.sum('amount') : which === 'max' ? keyed.max('amount') : keyed.sum('ts');
        s.collect(which);
      }
      const nodes = [...env.getStreamGraph().nodes.values()];
      return Object.fromEntries(nodes.filter((n) => n.name.startsWith('Keyed ')).map((n) => [n.name, n.uid]));
    };
    const a = uids(['sum', 'max', 'sumTs']);
    const b = uids(['sumTs', 'sum', 'max']);
    expect(Object.keys(a).sort()).toEqual(['Keyed max(amount)', 'Keyed sum(amount)', 'Keyed sum(ts)']);
    expect(new Set(Object.values(a)).size).toBe(3);
    expect(b).toEqual(a);
  });

  it('rolling and window aggregation state survives a savepoint and a restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-field-agg-'));
    // One window [0, 1000) per key, spanning both runs; bob's maximum comes in the first run.
    const first: Ev[] = [order('ann', 5, 'a1', 10), order('bob', 50, 'b1', 20), order('ann', 7, 'a2', 30)];
    const second: Ev[] = [order('ann', 1, 'a3', 40), order('bob', 20, 'b2', 50), order('ann', 2, 'a4', 60)];
    let drained = false;
    function job(env: StreamExecutionEnvironment, events: Ev[], run: number, stayOpen: boolean): void {
      const source = new ScriptedSource<Ev>({
        subtasks: [[events]],
        endWhen: () => !stayOpen,
        maxOpenMs: 60_000,
        onDrained: () => (drained = true),
      });
      const keyed = env
        .fromSource(source, perRecordWatermarks<Ev>((e) => e.ts), `orders-${run}`)
        .uid(`orders-${run}`)
        .setParallelism(1)
        .keyBy((e) => e.user);
      keyed.sum('amount').uid('rolling-sum').collect('rolling');
      keyed.window(TumblingEventTimeWindows.of(1000)).maxBy('amount').uid('window-max').collect('windows');
    }
    try {
      const env1 = StreamExecutionEnvironment.create({ 'parallelism.default': 2, 'state.checkpoints.dir': join(dir, 'chk') });
      job(env1, first, 1, true);
      const client = await env1.executeAsync('field-aggregations-1');
      // Once the source emitted its records the savepoint barrier follows them: the savepoint holds their effect.
      const deadline = Date.now() + 20_000;
      while (!drained) {
        if (Date.now() > deadline) throw new Error('the first run did not emit its records');
        await new Promise((r) => setTimeout(r, 10));
      }
      const savepoint = await client.stopWithSavepoint(join(dir, 'savepoint'));
      expect(client.collected('rolling')).toHaveLength(first.length);
      expect(client.collected('windows')).toEqual([]); // no drain: the window is still open, in the savepoint

      const env2 = StreamExecutionEnvironment.create({
        'parallelism.default': 2,
        'execution.savepoint.path': savepoint,
        'execution.savepoint.ignore-unclaimed-state': true, // the first run's source
      });
      job(env2, second, 2, false);
      const r = await env2.execute('field-aggregations-2');
      const rolling = perKey(collected<Ev>(r, 'rolling'), (e) => e.user);
      expect(rolling['ann']!.map((e) => [e.amount, e.note])).toEqual([[13, 'a1'], [15, 'a1']]);
      expect(rolling['bob']!.map((e) => [e.amount, e.note])).toEqual([[70, 'b1']]);
      expect(sortedBy(collected<Ev>(r, 'windows'), (e) => e.user).map((e) => e.note)).toEqual(['a2', 'b1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
