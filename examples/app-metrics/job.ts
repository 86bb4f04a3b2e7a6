// Demo: real-time application metrics. App events (request latency, status) come from the datagen source, get
// event-time timestamps, are keyed by app and aggregated in 10-second tumbling windows; every window's metrics go
// to a JSON-lines file, and a one-line summary per window (the worst app by error rate) is printed.
//
//   runnel run examples/app-metrics/job.ts --parallelism 2 [--arg rows=3000000] [--arg out=out/app-metrics]
import { DataGenSource, type DataGenRow } from '@runnel/connector-datagen';
import { FileSink } from '@runnel/connector-files';
import { TumblingEventTimeWindows, WatermarkStrategy, defineJob, type AggregateFunction } from '@runnel/runtime';

interface AppEvent {
  app: string;
  ts: number;
  latencyMs: number;
  error: boolean;
}

interface AppWindow {
  app: string;
  windowStart: string;
  events: number;
  errors: number;
  errorRate: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

type Acc = { events: number; errors: number; latency: number; max: number };

const metrics: AggregateFunction<AppEvent, Acc, Acc> = {
  createAccumulator: () => ({ events: 0, errors: 0, latency: 0, max: 0 }),
  add(e, a) {
    a.events++;
    if (e.error) a.errors++;
    a.latency += e.latencyMs;
    if (e.latencyMs > a.max) a.max = e.latencyMs;
    return a;
  },
  getResult: (a) => a,
  merge: (a, b) => ({ events: a.events + b.events, errors: a.errors + b.errors, latency: a.latency + b.latency, max: Math.max(a.max, b.max) }),
};

const BASE = Date.UTC(2026, 0, 1);
const APPS = ['checkout', 'search', 'catalog', 'auth', 'payments', 'recommendations', 'cart', 'shipping'];

export default defineJob((env, args: { rows?: number; out?: string } = {}) => {
  const rows = Number(args.rows ?? 3_000_000);
  env.setJobName('app-metrics');
  const source = new DataGenSource({
    fields: {
      seq: { type: 'bigint', kind: 'sequence', start: 0, end: rows - 1 },
      app: { type: 'int', min: 0, max: APPS.length - 1 },
      latency: { type: 'double', min: 1, max: 400 },
      status: { type: 'int', min: 0, max: 99 },
      jitter: { type: 'int', min: 0, max: 1500 },
    },
    rowsPerSecond: 0,
    seed: 42,
  });
  const events = env
    .fromSource(source, undefined, 'app events (datagen)')
    .map((r: DataGenRow): AppEvent => {
      const app = APPS[r.app as number]!;
      // 5 ms of event time per event, delivered up to 1.5 s out of order; checkout has a bad minute.
      const ts = BASE + (r.seq as number) * 5 - (r.jitter as number);
      const bad = app === 'checkout' && ts % 600_000 < 60_000;
      return { app, ts, latencyMs: (r.latency as number) * (bad ? 4 : 1), error: (r.status as number) < (bad ? 30 : 2) };
    }, 'parse')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AppEvent>(2000).withTimestampAssigner((e) => e.ts));

  const perApp = events
    .keyBy((e) => e.app)
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate<Acc, Acc, AppWindow>(metrics, {
      process(app, ctx, results, out) {
        for (const a of results) {
          out.collect({
            app,
            windowStart: new Date(ctx.window.start).toISOString(),
            events: a.events,
            errors: a.errors,
            errorRate: Math.round((a.errors / a.events) * 10_000) / 10_000,
            avgLatencyMs: Math.round((a.latency / a.events) * 10) / 10,
            maxLatencyMs: Math.round(a.max * 10) / 10,
          });
        }
      },
    })
    .uid('app-window-metrics');

  perApp.sinkTo(new FileSink<AppWindow>({ path: args.out ?? 'out/app-metrics' }), 'app metrics file').uid('app-metrics-file');

  perApp
    .windowAll(TumblingEventTimeWindows.of(10_000))
    .reduce((a, b) => (b.errorRate > a.errorRate ? b : a))
    .map((w) => `${w.windowStart}  worst: ${w.app.padEnd(15)} error rate ${(w.errorRate * 100).toFixed(1).padStart(5)}%  avg latency ${w.avgLatencyMs} ms  (${w.events} events)`, 'format')
    .setParallelism(1)
    .print()
    .setParallelism(1);
});
