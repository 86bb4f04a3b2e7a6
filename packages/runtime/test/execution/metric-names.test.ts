import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '../../src/index.js';

describe('metric scopes', () => {
  it('jobs whose operators or vertices share names run and report each operator separately', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection(Array.from({ length: 100 }, (_, i) => ({ k: i % 5, ts: i })))
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ k: number; ts: number }>().withTimestampAssigner((e) => e.ts))
      .map((x) => x)
      .map((x) => x)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(10))
      .reduce((a, b) => ({ k: a.k, ts: Math.max(a.ts, b.ts) }))
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(10))
      .reduce((a, b) => ({ k: a.k, ts: Math.max(a.ts, b.ts) }))
      .collect();
    const r = await env.execute();
    expect((r.collected.get('collect') as unknown[]).length).toBe(50);
    const maps = new Set(r.metrics.filter((m) => m.name === 'numRecordsIn' && m.variables['<operator_name>']?.startsWith('Map')).map((m) => m.variables['<operator_name>']));
    expect(maps.size).toBe(2);
  });
});
