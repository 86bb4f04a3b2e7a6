// The registry owns the group trees of one process (or worker thread), tells reporters about metrics as they come
// and go, drives the periodic work (meter samples, push-reporter intervals) from one `tick()` that the runtime
// calls every second, and produces plain snapshots for the REST API and the dashboard.
import type { Metric, MetricReporter } from '@runnel/api/metrics';
import { RegistryMetricGroup, resolveComponents, type GroupHost, type ScopeComponents } from './metric-group-impl.js';
import { snapshotOf, type MetricSnapshot } from './snapshot.js';

/**
 * A reporter with its configuration.
 *
 * @public
 */
export interface ReporterSetup {
  /** Name used in option keys (`metrics.reporter.<name>.*`) and error messages. */
  readonly name?: string;
  readonly reporter: MetricReporter;
  /** Passed to `reporter.open()`. */
  readonly config?: Readonly<Record<string, string>>;
  /** How often `report()` of a push reporter is called, in ms (default 10 000). */
  readonly intervalMs?: number;
}

/**
 * Options of a `MetricRegistry`.
 *
 * @public
 */
export interface MetricRegistryOptions {
  readonly reporters?: ReadonlyArray<MetricReporter | ReporterSetup>;
  /** Joins scope components in metric identifiers (option `metrics.scope.delimiter`, default `.`). */
  readonly scopeDelimiter?: string;
  /**
   * Milliseconds on a monotonic time base, used when `tick()` gets no timestamp (default `performance.now`).
   * `TimeRatioTracker`s ticked by this registry must use the same time base.
   */
  readonly clock?: () => number;
  /**
   * Receives errors thrown (or rejected) by reporters, which never propagate into the code that registers metrics
   * or ticks. Default: `console.error`.
   */
  readonly onReporterError?: (error: unknown, reporterName: string) => void;
}

/** Something `tick()` updates: a `MeterView`, or a gauge backed by a sampled tracker. */
interface View {
  update(nowMs: number): void;
}

interface ReporterSlot {
  readonly name: string;
  readonly reporter: MetricReporter;
  readonly config: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  lastReportMs: number | undefined;
  reporting: boolean;
}

const DEFAULT_REPORT_INTERVAL_MS = 10_000;

function isView(metric: Metric): metric is Metric & View {
  // Histograms have `update(value)` with another meaning; only meters and gauges can be time-driven views.
  return (metric.kind === 'meter' || metric.kind === 'gauge') && typeof (metric as Partial<View>).update === 'function';
}

/**
 * Registry of metric groups and reporters.
 *
 * @remarks
 * Call `open()` (opens reporters) before creating groups, `tick()` about once a second, and `close()` at the end.
 * Reporter failures go to `onReporterError` and never break registration or ticking. `close()` closes reporters
 * once (it is idempotent) but does not unregister metrics: close the groups for that.
 *
 * @public
 */
export class MetricRegistry implements GroupHost {
  readonly scopeDelimiter: string;
  private readonly clock: () => number;
  private readonly onReporterError: (error: unknown, reporterName: string) => void;
  private readonly reporters: ReporterSlot[];
  private readonly roots = new Map<string, RegistryMetricGroup>();
  private readonly views = new Map<View, number>(); // view → number of registrations
  private openPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;

  constructor(options: MetricRegistryOptions = {}) {
    this.scopeDelimiter = options.scopeDelimiter ?? '.';
    this.clock = options.clock ?? (() => performance.now());
    this.onReporterError =
      options.onReporterError ??
      ((error, name) => console.error(`[runnel/metrics] reporter '${name}' failed:`, error));
    this.reporters = (options.reporters ?? []).map((entry, index) => {
      const setup: ReporterSetup = 'reporter' in entry ? entry : { reporter: entry };
      const intervalMs = setup.intervalMs ?? DEFAULT_REPORT_INTERVAL_MS;
      if (!(intervalMs > 0)) throw new RangeError(`Reporter interval must be positive, got ${intervalMs}`);
      return {
        name: setup.name ?? `reporter-${index}`,
        reporter: setup.reporter,
        config: setup.config ?? {},
        intervalMs,
        lastReportMs: undefined,
        reporting: false,
      };
    });
  }

  /** Opens every reporter with its config. Idempotent. A reporter that fails to open is reported and skipped. */
  open(): Promise<void> {
    this.openPromise ??= Promise.all(
      this.reporters.map(async (slot) => {
        try {
          await slot.reporter.open(slot.config);
        } catch (error) {
          this.onReporterError(error, slot.name);
        }
      }),
    ).then(() => undefined);
    return this.openPromise;
  }

  /**
   * A root group, e.g. `createRootGroup({ job_name: 'q5' })` (scope `q5`, variable `<job_name>`) or
   * `createRootGroup(['jobmanager'])`. `extraVariables` are variables that do not appear in the scope.
   * Asking twice for the same components returns the same (open) group.
   */
  createRootGroup(
    components: ScopeComponents = [],
    extraVariables?: Readonly<Record<string, string>>,
  ): RegistryMetricGroup {
    const { scope, variables } = resolveComponents(components, extraVariables);
    const key = JSON.stringify([scope, variables]);
    let group = this.roots.get(key);
    if (group === undefined) {
      group = new RegistryMetricGroup(this, undefined, key, Object.freeze(scope), Object.freeze(variables));
      this.roots.set(key, group);
    }
    return group;
  }

  /**
   * Updates every registered view (meters' rate samples, time-ratio trackers), then calls `report()` on the push
   * reporters whose interval has elapsed. `nowMs` defaults to the registry clock. Synchronous: reports that return
   * a promise run in the background (a reporter whose previous report is still running is skipped).
   */
  tick(nowMs: number = this.clock()): void {
    for (const view of this.views.keys()) view.update(nowMs);
    if (this.closePromise !== undefined) return;
    for (const slot of this.reporters) {
      if (slot.reporter.report === undefined) continue;
      if (slot.lastReportMs === undefined) {
        slot.lastReportMs = nowMs; // the first interval starts at the first tick
        continue;
      }
      if (nowMs - slot.lastReportMs < slot.intervalMs || slot.reporting) continue;
      slot.lastReportMs = nowMs;
      void this.runReport(slot);
    }
  }

  /** Calls `report()` on every push reporter now (e.g. a final report before shutdown). */
  async report(): Promise<void> {
    await Promise.all(this.reporters.map((slot) => this.runReport(slot)));
  }

  /** All registered metrics as plain data (groups in creation order, metrics in registration order). */
  snapshot(): MetricSnapshot[] {
    const out: MetricSnapshot[] = [];
    for (const root of this.roots.values()) {
      root.forEachMetric((metric, name, group) => out.push(snapshotOf(metric, name, group)));
    }
    return out;
  }

  /** Number of registered metrics. */
  getMetricCount(): number {
    let n = 0;
    for (const root of this.roots.values()) root.forEachMetric(() => n++);
    return n;
  }

  /** Closes the reporters (once; later calls return the same promise). Ticks no longer trigger reports. */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      await Promise.all(
        this.reporters.map(async (slot) => {
          try {
            await slot.reporter.close();
          } catch (error) {
            this.onReporterError(error, slot.name);
          }
        }),
      );
    })();
    return this.closePromise;
  }

  /** @internal */
  onMetricAdded(metric: Metric, name: string, group: RegistryMetricGroup): void {
    if (isView(metric)) this.views.set(metric, (this.views.get(metric) ?? 0) + 1);
    for (const slot of this.reporters) {
      try {
        slot.reporter.notifyOfAddedMetric(metric, name, group);
      } catch (error) {
        this.onReporterError(error, slot.name);
      }
    }
  }

  /** @internal */
  onMetricRemoved(metric: Metric, name: string, group: RegistryMetricGroup): void {
    if (isView(metric)) {
      const n = this.views.get(metric) ?? 0;
      if (n <= 1) this.views.delete(metric);
      else this.views.set(metric, n - 1);
    }
    for (const slot of this.reporters) {
      try {
        slot.reporter.notifyOfRemovedMetric(metric, name, group);
      } catch (error) {
        this.onReporterError(error, slot.name);
      }
    }
  }

  /** @internal */
  onRootClosed(group: RegistryMetricGroup, key: string): void {
    if (this.roots.get(key) === group) this.roots.delete(key);
  }

  // Synchronous reports finish synchronously (no microtask delay before the next tick may report again); only a
  // returned promise marks the reporter busy until it settles.
  private runReport(slot: ReporterSlot): Promise<void> {
    if (slot.reporter.report === undefined || slot.reporting) return Promise.resolve();
    let result: void | Promise<void>;
    try {
      result = slot.reporter.report();
    } catch (error) {
      this.onReporterError(error, slot.name);
      return Promise.resolve();
    }
    if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') return Promise.resolve();
    slot.reporting = true;
    return Promise.resolve(result).then(
      () => {
        slot.reporting = false;
      },
      (error: unknown) => {
        slot.reporting = false;
        this.onReporterError(error, slot.name);
      },
    );
  }
}
