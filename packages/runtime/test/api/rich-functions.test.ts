// Rich functions: open/close lifecycle and the RuntimeContext each parallel instance sees. In Flink every parallel
// subtask runs its own instance of the user function (a deserialized copy), opened once and closed once.
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../src/index.js';
import { collected } from '../fixtures/helpers.js';

describe('rich functions', () => {
  it('are opened before and closed after processing, with the subtask facts', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const events: string[] = [];
    env
      .fromCollection([1, 2])
      .map({
        open(ctx) {
          events.push(`open ${ctx.indexOfThisSubtask}/${ctx.numberOfParallelSubtasks} max=${ctx.maxNumberOfParallelSubtasks}`);
        },
        map(v: number) {
          events.push(`map ${v}`);
          return v;
        },
        close() {
          events.push('close');
        },
      })
      .collect();
    await env.execute();
    expect(events).toEqual(['open 0/1 max=128', 'map 1', 'map 2', 'close']);
  });

  // BUG: in one thread (local execution, or several subtasks of a vertex in one worker slot) all parallel
  // subtasks share the single function object given to the API: the transformation keeps `fn` and every
  // operator instance (MapOperator, KeyedProcessOperator, ...) calls open() on that same object. Anything open()
  // stores on `this` (state handles, the subtask index, counters) is overwritten by the last subtask opened, so
  // a keyed process function at parallelism > 1 reads another subtask's state backend ("no current key").
  // Flink gives each subtask its own copy. Fix idea: instantiate per subtask (e.g. copy own enumerable properties
  // onto `Object.create(Object.getPrototypeOf(fn))` in the operator factory, or accept factories).
  it('each parallel subtask has its own function instance', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection(Array.from({ length: 20 }, (_, i) => i))
      .map({
        opens: 0,
        subtask: -1,
        open(ctx) {
          this.opens++;
          this.subtask = ctx.indexOfThisSubtask;
        },
        map(v: number) {
          return { v, opens: this.opens, subtask: this.subtask };
        },
      } as { opens: number; subtask: number; open(c: { indexOfThisSubtask: number }): void; map(v: number): { v: number; opens: number; subtask: number } })
      .collect();
    const out = collected<{ v: number; opens: number; subtask: number }>(await env.execute());
    expect(out).toHaveLength(20);
    for (const r of out) expect(r.opens).toBe(1);
    // fromCollection gives subtask i the elements i, i + 2, ...; the map is chained (forward), so it sees the same.
    for (const r of out) expect(r.subtask).toBe(r.v % 2);
  });
});
