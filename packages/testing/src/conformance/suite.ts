// Conformance suites are plain data: named cases with an async `run`, so that any test framework can run them.
// `describeConformance` registers a suite with the `describe` and `it` of vitest, jest, mocha or node:test.

/**
 * One case of a conformance suite. `skip` (a reason) when the plugin declares that the case does not apply.
 *
 * @public
 */
export interface ConformanceCase {
  readonly name: string;
  readonly skip?: string;
  run(): Promise<void>;
}

/**
 * A named list of cases.
 *
 * @public
 */
export interface ConformanceSuite {
  readonly name: string;
  readonly cases: readonly ConformanceCase[];
}

/**
 * The part of a test framework that registers tests: vitest's, jest's and mocha's globals, or `node:test`'s
 * `describe` and `it` (`it.skip` is used when present; otherwise a skipped case is registered as a passing test
 * that says so).
 *
 * @public
 */
export interface TestRegistrar {
  describe(name: string, body: () => void): unknown;
  it: ((name: string, body: () => Promise<void>, timeout?: number) => unknown) & { skip?: (name: string, body: () => Promise<void>) => unknown };
}

/**
 * Registers every case of `suite` as a test inside `describe(suite.name)`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * describeConformance(stateBackendConformance({ createBackend: () => new MyBackend() }), { describe, it });
 * ```
 * @public
 */
export function describeConformance(suite: ConformanceSuite, framework: TestRegistrar, options: { readonly timeoutMs?: number } = {}): void {
  if (suite === null || typeof suite !== 'object' || !Array.isArray(suite.cases)) throw new TypeError('describeConformance: expected a suite (from sourceConformance, sinkConformance or stateBackendConformance)');
  if (framework === null || typeof framework !== 'object' || typeof framework.describe !== 'function' || typeof framework.it !== 'function') {
    throw new TypeError('describeConformance: pass the framework\'s { describe, it } (vitest, jest, mocha or node:test)');
  }
  const { describe, it } = framework;
  describe(suite.name, () => {
    for (const c of suite.cases) {
      if (c.skip !== undefined) {
        if (typeof it.skip === 'function') it.skip(`${c.name} (${c.skip})`, async () => {});
        else it(`${c.name} — skipped: ${c.skip}`, async () => {});
      } else if (options.timeoutMs !== undefined) {
        it(c.name, () => c.run(), options.timeoutMs);
      } else {
        it(c.name, () => c.run());
      }
    }
  });
}

/**
 * Runs every case of a suite in order without a test framework; returns the failures (empty when all passed).
 *
 * @public
 */
export async function runConformance(suite: ConformanceSuite): Promise<{ readonly name: string; readonly error: unknown }[]> {
  const failures: { name: string; error: unknown }[] = [];
  for (const c of suite.cases) {
    if (c.skip !== undefined) continue;
    try {
      await c.run();
    } catch (error) {
      failures.push({ name: c.name, error });
    }
  }
  return failures;
}

/** A failed expectation of a conformance case: names the case's contract. @internal */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

/** @internal */
export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ConformanceError(message());
}

/** Compares two lists as multisets of `keyOf` values; the message names what is missing and what is extra. @internal */
export function checkSameRecords<T>(actual: readonly T[], expected: readonly T[], keyOf: (t: T) => string, what: string): void {
  const counts = new Map<string, number>();
  for (const e of expected) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
  const extra: string[] = [];
  for (const a of actual) {
    const k = keyOf(a);
    const n = counts.get(k) ?? 0;
    if (n === 0) extra.push(k);
    else counts.set(k, n - 1);
  }
  const missing: string[] = [];
  for (const [k, n] of counts) for (let i = 0; i < n; i++) missing.push(k);
  if (missing.length > 0 || extra.length > 0) {
    const show = (l: string[]): string => `${l.length} (${l.slice(0, 5).join(', ')}${l.length > 5 ? ', ...' : ''})`;
    throw new ConformanceError(`${what}: ${actual.length} records, expected ${expected.length}; missing ${show(missing)}, duplicated or unexpected ${show(extra)}`);
  }
}

/** The default record identity of the suites: JSON text (bigints as strings). @internal */
export function jsonKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
}
