// How built-in scalar functions and operators are described to the expression compiler. A definition resolves
// against its argument types once, when a query is planned, and returns the result type and a plain function that
// the compiled expression calls per row. Resolving once is what keeps type dispatch out of the per-row path: the
// implementation returned is already specialised for its argument types (a BIGINT `+` is a bigint add that wraps
// at 64 bits; an INT `+` a 32-bit add).
import type { LogicalType } from '@runnel/api/table';

/**
 * Settings of the session that affect functions (time zone of TIMESTAMP_LTZ conversions, ...).
 *
 * @internal
 */
export interface FunctionContext {
  /** IANA zone or offset, from `table.local-time-zone` (default: the process's zone). */
  readonly localTimeZone: string;
}

/**
 * A function resolved for its argument types.
 *
 * @internal
 */
export interface ResolvedCall {
  /** The result type (nullability included). */
  readonly type: LogicalType;
  /** The implementation; receives the argument values. */
  readonly impl: (...args: any[]) => unknown;
  /**
   * True when a NULL argument makes the result NULL without calling `impl` (most functions); the compiler emits
   * the check. False when `impl` handles NULLs itself (COALESCE, CONCAT_WS, IS DISTINCT FROM, ...).
   */
  readonly strictNulls: boolean;
  /** False for functions whose result changes between calls with equal arguments (RAND, NOW, UUID, PROCTIME). */
  readonly deterministic: boolean;
}

/**
 * A built-in scalar function (`UPPER`, `DATE_FORMAT`, ...) or operator (`+`, `=`, `||`, ...).
 *
 * @internal
 */
export interface ScalarFunctionDefinition {
  /** Upper-case name (`UPPER`) or operator symbol (`+`). */
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /**
   * Resolves for these argument types; throws a {@link FunctionTypeError} naming what is wrong when the types do not
   * fit. `literals[i]` is the value of argument i when it is a literal (a format pattern, a JSON path, a regular
   * expression), so implementations can prepare it once; undefined otherwise.
   */
  resolve(argTypes: readonly LogicalType[], ctx: FunctionContext, literals: readonly unknown[]): ResolvedCall;
}

/**
 * Arguments that do not fit a function; the binder adds the position in the query.
 *
 * @internal
 */
export class FunctionTypeError extends Error {
  override readonly name = 'FunctionTypeError';
}

/**
 * A value that cannot be computed at runtime (a failed CAST, a division by zero of integers, an overflow where
 * Flink fails); the operator adds which query and row.
 *
 * @internal
 */
export class SqlRuntimeError extends Error {
  override readonly name = 'SqlRuntimeError';
}
