// Timers and state agree on which key a record has: a keyed process function counts records per key in value state
// and registers one event-time timer per key; when the timer fires it must see the count of exactly its key. Keys
// are awkward on purpose — strings with control characters and tag characters, nested plain objects in any
// property order, bigints next to numbers and digit strings, tuples, dates — on both state backends. Timers once
// normalised keys with weaker rules than the state backends ('\u0001d5' and new Date(5) were one timer key).
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment, type KeyedProcessFunction, type ValueState } from '../../src/index.js';
import { collected, perRecordWatermarks } from '../fixtures/helpers.js';

const AWKWARD: unknown[] = [
  '\u0001d5',
  new Date(5),
  '\u0000',
  '\u0001',
  '\u0001s',
  'tab\tnew\nline',
  { a: { b: 1 }, c: [1, 'x'] },
  { c: [1, 'x'], a: { b: 1 } }, // the same key as the one before
  { a: { b: '1' }, c: [1, 'x'] },
  9007199254740993n,
  9007199254740992n,
  '9007199254740993',
  9007199254740992,
  1n,
  1,
  [1, [2, 'a']],
  [1, [2, 'b']],
  ['\u0001d5'],
  [],
  {},
];

/** The identity the test expects: plain objects by sorted properties, everything else by type and value. */
function identity(k: unknown): string {
  const canon = (x: unknown): unknown => {
    if (typeof x === 'bigint') return `bigint:${x}`;
    if (x instanceof Date) return `date:${x.getTime()}`;
    if (Array.isArray(x)) return x.map(canon);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((p) => [p, canon((x as Record<string, unknown>)[p])]));
    return `${typeof x}:${String(x)}`;
  };
  return JSON.stringify(canon(k));
}

// Per-subtask state lives on `this` (each subtask gets its own copy of the function object; a closure would be shared).
const count: KeyedProcessFunction<unknown, { k: unknown; ts: number }, [string, number]> & { n?: ValueState<number> } = {
  open(ctx) {
    this.n = ctx.getState<number>({ name: 'n' });
  },
  processElement(_e, ctx) {
    this.n!.update((this.n!.value() ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(1_000);
  },
  onTimer(_ts, ctx, out) {
    out.collect([identity(ctx.getCurrentKey()), this.n!.value() ?? -1]);
  },
};

describe('key identity of timers and state', () => {
  for (const backend of ['heap', 'level']) {
    it(`every key's timer sees that key's state, for awkward keys (${backend})`, async () => {
      const events: { k: unknown; ts: number }[] = [];
      AWKWARD.forEach((k, i) => {
        for (let r = 0; r <= i % 3; r++) events.push({ k, ts: i * 10 + r });
      });
      const env = StreamExecutionEnvironment.create({ parallelism: 2 }).configure({ 'state.backend.type': backend });
      env
        .fromCollection(events)
        .assignTimestampsAndWatermarks(perRecordWatermarks((e: { ts: number }) => e.ts))
        .keyBy((e) => e.k)
        .process(count)
        .collect();
      const out = collected<[string, number]>(await env.execute());
      const expected = new Map<string, number>();
      for (const e of events) expected.set(identity(e.k), (expected.get(identity(e.k)) ?? 0) + 1);
      expect(new Map(out)).toEqual(expected);
      expect(out).toHaveLength(expected.size); // one timer per key: no key split in two, none merged
    });
  }
});
