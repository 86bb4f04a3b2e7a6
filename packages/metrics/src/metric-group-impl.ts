// The registry's implementation of `MetricGroup`: a node in the scope tree (job → task → operator → user groups)
// that owns metrics and child groups, carries the scope's variables and reports registrations to its registry.
import type { Counter, Gauge, Histogram, Meter, Metric, MetricGroup } from '@runnel/api/metrics';
import { SimpleCounter } from './simple-counter.js';
import { MeterView } from './meter-view.js';
import { FunctionGauge } from './simple-gauge.js';
import { ReservoirHistogram } from './reservoir-histogram.js';

/**
 * What a group needs from its registry (implemented by `MetricRegistry`).
 *
 * @internal
 */
export interface GroupHost {
  readonly scopeDelimiter: string;
  onMetricAdded(metric: Metric, name: string, group: RegistryMetricGroup): void;
  onMetricRemoved(metric: Metric, name: string, group: RegistryMetricGroup): void;
  /** Called when a group without parent (a root group) closes. */
  onRootClosed(group: RegistryMetricGroup, key: string): void;
}

/**
 * Thrown when a metric name is already taken in a group by another metric.
 *
 * @public
 */
export class DuplicateMetricError extends Error {
  override readonly name = 'DuplicateMetricError';
  constructor(
    readonly metricIdentifier: string,
    readonly existingKind: Metric['kind'],
  ) {
    super(`A ${existingKind} named '${metricIdentifier}' is already registered in this group`);
  }
}

/**
 * Scope components with variables: a record `{ job_name: 'q5' }` adds the scope component `q5` and the variable
 * `<job_name>` = `q5`; an array adds plain scope components without variables.
 *
 * @public
 */
export type ScopeComponents = readonly string[] | Readonly<Record<string, string>>;

/**
 * Normalizes a variable name to Flink's `<name>` form.
 *
 * @internal
 */
export function variableName(key: string): string {
  return key.startsWith('<') && key.endsWith('>') ? key : `<${key}>`;
}

/**
 * A metric group owned by a `MetricRegistry`.
 *
 * @remarks
 * Duplicate names: asking for a counter, meter or histogram by name without passing an instance returns the
 * existing one when it is a `SimpleCounter`, `MeterView` or `ReservoirHistogram` (get-or-create, so two code paths
 * can share a metric). Registering the same instance again returns it. Anything else that reuses a name (another
 * instance, another kind, any second gauge) throws `DuplicateMetricError`; nothing is logged.
 *
 * A closed group (see `close`) still returns the metrics asked for, so late callers in a shutting-down task keep
 * working, but registers and reports nothing.
 *
 * @public
 */
export class RegistryMetricGroup implements MetricGroup {
  private readonly metrics = new Map<string, Metric>();
  private readonly children = new Map<string, RegistryMetricGroup>();
  private closed = false;

  /** @internal */
  constructor(
    private readonly host: GroupHost,
    private readonly parent: RegistryMetricGroup | undefined,
    private readonly childKey: string,
    private readonly scope: readonly string[],
    private readonly variables: Readonly<Record<string, string>>,
  ) {}

  counter(name: string): SimpleCounter;
  counter<C extends Counter>(name: string, counter: C): C;
  counter(name: string, counter?: Counter): Counter {
    if (counter === undefined) {
      const existing = this.metrics.get(name);
      if (existing instanceof SimpleCounter) return existing;
      counter = new SimpleCounter();
    }
    return this.register(name, counter);
  }

  gauge<T>(name: string, gauge: Gauge<T> | (() => T)): Gauge<T> {
    return this.register(name, typeof gauge === 'function' ? new FunctionGauge(gauge) : gauge);
  }

  meter(name: string): MeterView;
  meter<M extends Meter>(name: string, meter: M): M;
  meter(name: string, meter?: Meter): Meter {
    if (meter === undefined) {
      const existing = this.metrics.get(name);
      if (existing instanceof MeterView) return existing;
      meter = new MeterView();
    }
    return this.register(name, meter);
  }

  histogram(name: string): ReservoirHistogram;
  histogram<H extends Histogram>(name: string, histogram: H): H;
  histogram(name: string, histogram?: Histogram): Histogram {
    if (histogram === undefined) {
      const existing = this.metrics.get(name);
      if (existing instanceof ReservoirHistogram) return existing;
      histogram = new ReservoirHistogram();
    }
    return this.register(name, histogram);
  }

  /**
   * Flink's `addGroup`: without a value, a generic child group (scope component `name`); with a value, a key/value
   * group (scope components `name`, `value`) that adds the variable `<name>` = `value`. Asking twice returns the
   * same group.
   */
  addGroup(name: string, value?: string): RegistryMetricGroup {
    if (value === undefined) return this.child(`g:${name}`, [name], undefined);
    return this.child(`kv:${name}\u0000${value}`, [name, value], { [variableName(name)]: value });
  }

  /**
   * Adds a child scope: every entry of a record becomes a scope component (its value) and a variable (its key, in
   * `<key>` form); an array adds plain components. `extraVariables` are variables that do not appear in the scope
   * (e.g. `<operator_id>`). Asking twice for the same components returns the same group.
   */
  addScope(components: ScopeComponents, extraVariables?: Readonly<Record<string, string>>): RegistryMetricGroup {
    const { scope, variables } = resolveComponents(components, extraVariables);
    return this.child(`s:${JSON.stringify([scope, variables])}`, scope, variables);
  }

  getScopeComponents(): readonly string[] {
    return this.scope;
  }

  getAllVariables(): Readonly<Record<string, string>> {
    return this.variables;
  }

  getMetricIdentifier(metricName: string): string {
    return this.scope.length === 0 ? metricName : this.scope.join(this.host.scopeDelimiter) + this.host.scopeDelimiter + metricName;
  }

  /** The metric registered under `name` in this group, if any. */
  getMetric(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  /** Names of the metrics registered directly in this group, in registration order. */
  getMetricNames(): string[] {
    return [...this.metrics.keys()];
  }

  /** Unregisters one metric (reporters are notified). Returns whether it was registered. */
  removeMetric(name: string): boolean {
    const metric = this.metrics.get(name);
    if (metric === undefined) return false;
    this.metrics.delete(name);
    this.host.onMetricRemoved(metric, name, this);
    return true;
  }

  isClosed(): boolean {
    return this.closed;
  }

  /**
   * Closes this group and all its descendants (children first): every metric is unregistered and reporters are
   * told of each removal. Call it when the task or operator the group belongs to ends. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const child of [...this.children.values()]) child.close();
    for (const [name, metric] of this.metrics) this.host.onMetricRemoved(metric, name, this);
    this.metrics.clear();
    if (this.parent === undefined) this.host.onRootClosed(this, this.childKey);
    else if (this.parent.children.get(this.childKey) === this) this.parent.children.delete(this.childKey);
  }

  /** @internal Visits the metrics of this group and its descendants. */
  forEachMetric(visit: (metric: Metric, name: string, group: RegistryMetricGroup) => void): void {
    for (const [name, metric] of this.metrics) visit(metric, name, this);
    for (const child of this.children.values()) child.forEachMetric(visit);
  }

  private register<M extends Metric>(name: string, metric: M): M {
    if (this.closed) return metric;
    const existing = this.metrics.get(name);
    if (existing !== undefined) {
      if (existing === metric) return metric;
      throw new DuplicateMetricError(this.getMetricIdentifier(name), existing.kind);
    }
    this.metrics.set(name, metric);
    this.host.onMetricAdded(metric, name, this);
    return metric;
  }

  private child(
    key: string,
    scope: readonly string[],
    variables: Readonly<Record<string, string>> | undefined,
  ): RegistryMetricGroup {
    const existing = this.children.get(key);
    if (existing !== undefined) return existing;
    const group = new RegistryMetricGroup(
      this.host,
      this,
      key,
      Object.freeze([...this.scope, ...scope]),
      variables === undefined ? this.variables : Object.freeze({ ...this.variables, ...variables }),
    );
    // A closed group hands out closed children: they register nothing, like their parent.
    if (this.closed) group.closed = true;
    else this.children.set(key, group);
    return group;
  }
}

/** @internal */
export function resolveComponents(
  components: ScopeComponents,
  extraVariables?: Readonly<Record<string, string>>,
): { scope: string[]; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  let scope: string[];
  if (Array.isArray(components)) {
    scope = [...(components as readonly string[])];
  } else {
    scope = [];
    for (const [key, value] of Object.entries(components as Readonly<Record<string, string>>)) {
      scope.push(value);
      variables[variableName(key)] = value;
    }
  }
  if (extraVariables !== undefined) {
    for (const [key, value] of Object.entries(extraVariables)) variables[variableName(key)] = value;
  }
  return { scope, variables };
}
