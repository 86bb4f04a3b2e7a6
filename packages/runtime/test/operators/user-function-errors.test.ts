// A throwing user function fails the job with a JobExecutionError that names the operator and the record (or
// window and key) it failed on; a throwing source reader fails the job too.
import { describe, expect, it } from 'vitest';
import { JobExecutionError, StreamExecutionEnvironment, TumblingEventTimeWindows } from '../../src/index.js';
import { perRecordWatermarks } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function failure(env: StreamExecutionEnvironment): Promise<JobExecutionError> {
  const e = await env.execute().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(JobExecutionError);
  return e as JobExecutionError;
}

describe('failing user functions', () => {
  it('a map names the operator and the record', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection(range(500).map((i) => ({ id: i })))
      .map((r) => {
        if (r.id === 321) throw new Error('bad id');
        return r;
      })
      .name('parse')
      .collect();
    const e = await failure(env);
    expect(e.message).toMatch(/operator 'parse' \(uid \w+, subtask [12]\/2\) failed on record \{"id":321\}: bad id/);
    expect(e.taskName).toMatch(/parse/);
  });

  it('a keyed process function names the operator and the record', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection(range(100))
      .keyBy((v) => v % 7)
      .process<number>({
        processElement(v, _ctx, out) {
          if (v === 55) throw new TypeError('cannot handle 55');
          out.collect(v);
        },
      })
      .name('enrich')
      .collect();
    expect((await failure(env)).message).toMatch(/operator 'enrich' .* failed on record 55: cannot handle 55/);
  });

  it('a timer callback names the operator, the timer and the key', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection(['x'])
      .keyBy((v) => v)
      .process<number>({
        processElement(_v, ctx) {
          ctx.timerService().registerEventTimeTimer(42);
        },
        onTimer() {
          throw new Error('timer broke');
        },
      })
      .name('timed')
      .collect();
    expect((await failure(env)).message).toMatch(/operator 'timed' .* failed on record \{"timer":42,"key":"x"\}: timer broke/);
  });

  it('a window function names the operator, the window and the key', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection([{ k: 'a', ts: 5 }])
      .assignTimestampsAndWatermarks(perRecordWatermarks<{ k: string; ts: number }>((e) => e.ts))
      .keyBy((e) => e.k)
      .window(TumblingEventTimeWindows.of(10))
      .process<number>({
        process() {
          throw new Error('window broke');
        },
      })
      .name('agg')
      .collect();
    const msg = (await failure(env)).message;
    expect(msg).toMatch(/operator 'agg/);
    expect(msg).toMatch(/failed on record \{"window":"\[0, 10\)","key":"a"\}: window broke/);
  });

  it('a key selector names the record', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection([{ k: 'a' }, { k: null }, { k: 'b' }])
      .keyBy((e) => e.k!.toUpperCase())
      .reduce((a) => a)
      .collect();
    expect((await failure(env)).message).toMatch(/failed on record \{"k":null\}/);
  });

  it('a throwing source reader fails the job', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromSource(new ScriptedSource<number>({ subtasks: [[range(100)]], batch: 10, failAfter: 25 }), undefined, 'flaky-source')
      .map((v) => v)
      .collect();
    const e = await failure(env);
    expect(e.message).toMatch(/operator 'flaky-source' .*failed: reader of subtask 0 failed after 25 records/);
  });

  it('an event-time window without timestamps explains what is missing', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env
      .fromCollection([1, 2])
      .keyBy((v) => v)
      .window(TumblingEventTimeWindows.of(10))
      .reduce((a, b) => a + b)
      .collect();
    expect((await failure(env)).message).toMatch(/record has no timestamp.*WatermarkStrategy/s);
  });
});
