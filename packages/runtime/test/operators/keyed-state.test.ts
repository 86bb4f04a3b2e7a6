// Keyed state through the RuntimeContext of a keyed process function: every state type (value, list, map,
// reducing, aggregating), isolation between keys, clearing, and time-to-live on processing time.
import { describe, expect, it } from 'vitest';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '@runnel/api';
import { StreamExecutionEnvironment, type KeyedProcessFunction } from '../../src/index.js';
import { collected } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

interface Ev {
  k: string;
  v: number;
  tag: string;
  clear?: boolean;
}

interface Snapshot {
  k: string;
  count: number | undefined;
  list: number[];
  tags: [string, number][];
  sum: number | undefined;
  avg: number | undefined;
}

interface AllStates {
  count?: ValueState<number>;
  list?: ListState<number>;
  tags?: MapState<string, number>;
  sum?: ReducingState<number>;
  avg?: AggregatingState<number, number>;
}

function allStatesFunction(): KeyedProcessFunction<string, Ev, Snapshot> & AllStates {
  return {
    open(ctx) {
      this.count = ctx.getState<number>({ name: 'count' });
      this.list = ctx.getListState<number>({ name: 'list' });
      this.tags = ctx.getMapState<string, number>({ name: 'tags' });
      this.sum = ctx.getReducingState<number>({ name: 'sum', reduce: (a, b) => a + b });
      this.avg = ctx.getAggregatingState<number, [number, number], number>({
        name: 'avg',
        aggregate: {
          createAccumulator: () => [0, 0],
          add: (v, acc) => [acc[0] + v, acc[1] + 1],
          getResult: (acc) => acc[0] / acc[1],
        },
      });
    },
    processElement(e, ctx, out) {
      if (e.clear) {
        this.count!.clear();
        this.list!.clear();
        this.tags!.clear();
        this.sum!.clear();
        this.avg!.clear();
      } else {
        this.count!.update((this.count!.value() ?? 0) + 1);
        this.list!.add(e.v);
        this.tags!.put(e.tag, (this.tags!.get(e.tag) ?? 0) + e.v);
        this.sum!.add(e.v);
        this.avg!.add(e.v);
      }
      out.collect({
        k: ctx.getCurrentKey(),
        count: this.count!.value(),
        list: [...this.list!.get()],
        tags: [...this.tags!.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
        sum: this.sum!.get(),
        avg: this.avg!.get(),
      });
    },
  };
}

/** What the state of each key should be after each record, computed independently. */
function model(events: Ev[]): Snapshot[] {
  const per = new Map<string, { list: number[]; tags: Map<string, number> }>();
  return events.map((e) => {
    let s = per.get(e.k);
    if (!s || e.clear) per.set(e.k, (s = { list: [], tags: new Map() }));
    if (!e.clear) {
      s.list.push(e.v);
      s.tags.set(e.tag, (s.tags.get(e.tag) ?? 0) + e.v);
    }
    const n = s.list.length;
    const total = s.list.reduce((a, b) => a + b, 0);
    return {
      k: e.k,
      count: n === 0 ? undefined : n,
      list: [...s.list],
      tags: [...s.tags.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      sum: n === 0 ? undefined : total,
      avg: n === 0 ? undefined : total / n,
    };
  });
}

describe('keyed state through the RuntimeContext', () => {
  it('value, list, map, reducing and aggregating state, isolated per key', async () => {
    const events: Ev[] = [];
    for (let i = 0; i < 60; i++) events.push({ k: `k${(i * 7) % 5}`, v: i, tag: `t${i % 3}` });
    events.push({ k: 'k2', v: 0, tag: '', clear: true });
    for (let i = 0; i < 10; i++) events.push({ k: `k${i % 3}`, v: 100 + i, tag: 'x' });
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection(events)
      .keyBy((e) => e.k)
      .process(allStatesFunction())
      .collect();
    const out = collected<Snapshot>(await env.execute());
    expect(out).toEqual(model(events));
  });

  it('a default value is returned for keys without a value', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection(['a', 'b', 'a', 'c', 'a'])
      .keyBy((k) => k)
      .process<string>({
        open(ctx) {
          (this as { n?: ValueState<number> }).n = ctx.getState<number>({ name: 'n', defaultValue: 10 });
        },
        processElement(k, _ctx, out) {
          const n = (this as { n?: ValueState<number> }).n!;
          out.collect(`${k}${n.value()}`);
          n.update(n.value()! + 1);
        },
      })
      .collect();
    expect(collected<string>(await env.execute())).toEqual(['a10', 'b10', 'a11', 'c10', 'a12']);
  });

  it('state is not available on a non-keyed stream', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection([1, 2, 3])
      .process<number>({
        open(ctx) {
          ctx.getState<number>({ name: 'x' });
        },
        processElement(v, _ctx, out) {
          out.collect(v);
        },
      })
      .name('not-keyed')
      .collect();
    await expect(env.execute()).rejects.toThrow(/not-keyed.*keyed state is only available on a keyed stream/s);
  });
});

describe('state time-to-live (processing time)', () => {
  it('expired entries are invisible; entries within their TTL and state without TTL stay', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    // Records of one key at least 80 ms apart; TTL 20 ms expires between them, TTL 1 h does not.
    const source = new ScriptedSource<number>({ subtasks: [[[1, 2, 3]]], batch: 1, pollDelayMs: 80 });
    interface S {
      short?: ValueState<number>;
      shortList?: ListState<number>;
      shortMap?: MapState<string, number>;
      long?: ValueState<number>;
      plain?: ListState<number>;
    }
    const fn: KeyedProcessFunction<string, number, string> & S = {
      open(ctx) {
        const ttl = { ttlMs: 20 };
        this.short = ctx.getState<number>({ name: 'short', ttl });
        this.shortList = ctx.getListState<number>({ name: 'short-list', ttl });
        this.shortMap = ctx.getMapState<string, number>({ name: 'short-map', ttl });
        this.long = ctx.getState<number>({ name: 'long', ttl: { ttlMs: 3_600_000 } });
        this.plain = ctx.getListState<number>({ name: 'plain' });
      },
      processElement(v, _ctx, out) {
        out.collect(
          JSON.stringify({
            short: this.short!.value() ?? null,
            shortList: this.shortList!.get(),
            shortMap: [...this.shortMap!.entries()],
            long: this.long!.value() ?? null,
            plain: this.plain!.get(),
          }),
        );
        this.short!.update(v);
        this.shortList!.add(v);
        this.shortMap!.put('m', v);
        this.long!.update(v);
        this.plain!.add(v);
      },
    };
    env
      .fromSource(source)
      .keyBy(() => 'key')
      .process(fn)
      .collect();
    const out = collected<string>(await env.execute()).map((s) => JSON.parse(s));
    expect(out).toEqual([
      { short: null, shortList: [], shortMap: [], long: null, plain: [] },
      { short: null, shortList: [], shortMap: [], long: 1, plain: [1] },
      { short: null, shortList: [], shortMap: [], long: 2, plain: [1, 2] },
    ]);
  });
});
