// Test helpers: types from short text (`INT`, `DECIMAL(5, 2)`, `ARRAY<INT>`, `STRING?` for nullable), and calls of
// built-in functions and operators the way the expression compiler makes them (NULL arguments short-circuit strict
// functions; literal arguments are passed to resolve).
import type { LogicalType } from '@runnel/api/table';
import type { FunctionContext, ResolvedCall } from '../../src/functions/function-definition.js';
import { lookupScalarFunction, resolveOperator, type Operator } from '../../src/functions/registry.js';
import { daysFromCivil } from '../../src/types/temporal.js';

/** @internal */
export const UTC: FunctionContext = { localTimeZone: 'UTC' };

/** Parses `INT`, `BIGINT?` (nullable), `DECIMAL(5, 2)`, `VARCHAR(3)`, `ARRAY<INT>`, `MAP<STRING, INT>`, `ROW<a INT, b STRING>`. */
export function type(text: string): LogicalType {
  const p = new TypeParser(text);
  const t = p.parse();
  if (p.i !== text.length) throw new Error(`bad type ${text} at ${p.i}`);
  return t;
}

class TypeParser {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  word(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z_0-9]*/.exec(this.s.slice(this.i))!;
    this.i += m[0].length;
    return m[0];
  }
  nums(): number[] {
    this.ws();
    if (this.s[this.i] !== '(') return [];
    const end = this.s.indexOf(')', this.i);
    const out = this.s.slice(this.i + 1, end).split(',').map((x) => Number(x.trim()));
    this.i = end + 1;
    return out;
  }
  parse(): LogicalType {
    const name = this.word().toUpperCase();
    let t: LogicalType;
    const n = this.nums();
    switch (name) {
      case 'INT':
      case 'INTEGER':
        t = { root: 'INTEGER', nullable: false };
        break;
      case 'STRING':
        t = { root: 'VARCHAR', nullable: false, precision: 2147483647 };
        break;
      case 'BYTES':
        t = { root: 'VARBINARY', nullable: false, precision: 2147483647 };
        break;
      case 'DECIMAL':
        t = { root: 'DECIMAL', nullable: false, precision: n[0] ?? 10, scale: n[1] ?? 0 };
        break;
      case 'CHAR':
      case 'VARCHAR':
      case 'BINARY':
      case 'VARBINARY':
        t = { root: name, nullable: false, precision: n[0] ?? 1 };
        break;
      case 'TIME':
        t = { root: 'TIME', nullable: false, precision: n[0] ?? 0 };
        break;
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
        t = { root: name, nullable: false, precision: n[0] ?? 3 };
        break;
      case 'INTERVAL_YM':
        t = { root: 'INTERVAL_YEAR_MONTH', nullable: false };
        break;
      case 'INTERVAL_DT':
        t = { root: 'INTERVAL_DAY_TIME', nullable: false, precision: 3 };
        break;
      case 'ARRAY':
      case 'MULTISET': {
        this.expect('<');
        const e = this.parse();
        this.expect('>');
        t = { root: name, nullable: false, element: e };
        break;
      }
      case 'MAP': {
        this.expect('<');
        const k = this.parse();
        this.expect(',');
        const v = this.parse();
        this.expect('>');
        t = { root: 'MAP', nullable: false, key: k, element: v };
        break;
      }
      case 'ROW': {
        this.expect('<');
        const fields = [];
        for (;;) {
          const f = this.word();
          fields.push({ name: f, type: this.parse() });
          this.ws();
          if (this.s[this.i] === '>') break;
          this.expect(',');
        }
        this.expect('>');
        t = { root: 'ROW', nullable: false, fields };
        break;
      }
      default:
        t = { root: name as LogicalType['root'], nullable: name === 'NULL' };
    }
    this.ws();
    if (this.s[this.i] === '?') {
      this.i++;
      t = { ...t, nullable: true };
    }
    return t;
  }
  expect(c: string): void {
    this.ws();
    if (this.s[this.i] !== c) throw new Error(`expected ${c} at ${this.i} in ${this.s}`);
    this.i++;
  }
}

/** An argument: a value with its type (text or LogicalType); `literal` false hides it from resolve. */
export interface Arg {
  readonly value: unknown;
  readonly type: LogicalType;
  readonly literal: boolean;
}

/** A typed argument. */
export function v(value: unknown, t: string | LogicalType, literal = true): Arg {
  return { value, type: typeof t === 'string' ? type(t) : t, literal };
}

/** A typed argument that is not a literal (a column). */
export function col(value: unknown, t: string | LogicalType): Arg {
  return v(value, t, false);
}

function infer(x: unknown): Arg {
  if (x !== null && typeof x === 'object' && 'type' in (x as object) && 'literal' in (x as object)) return x as Arg;
  if (x === null) return v(null, 'NULL');
  switch (typeof x) {
    case 'number':
      return v(x, Number.isInteger(x) ? 'INT' : 'DOUBLE');
    case 'bigint':
      return v(x, 'BIGINT');
    case 'string':
      return v(x, 'STRING');
    case 'boolean':
      return v(x, 'BOOLEAN');
    default:
      throw new Error(`cannot infer the type of ${String(x)}`);
  }
}

/** Applies a resolved call to values as the compiled expression does. */
export function apply(call: ResolvedCall, values: readonly unknown[]): unknown {
  if (call.strictNulls && values.some((x) => x === null)) return null;
  return call.impl(...values);
}

/** Resolves a built-in function for the arguments' types. */
export function resolveFn(name: string, args: readonly unknown[], ctx: FunctionContext = UTC): ResolvedCall {
  const def = lookupScalarFunction(name);
  if (!def) throw new Error(`no function ${name}`);
  const as = args.map(infer);
  return def.resolve(
    as.map((a) => a.type),
    ctx,
    as.map((a) => (a.literal ? a.value : undefined)),
  );
}

/** Calls a built-in function. */
export function fn(name: string, args: readonly unknown[], ctx: FunctionContext = UTC): unknown {
  const as = args.map(infer);
  return apply(resolveFn(name, as, ctx), as.map((a) => a.value));
}

/** Resolves an operator. */
export function resolveOp(op: Operator, args: readonly unknown[], ctx: FunctionContext = UTC): ResolvedCall {
  return resolveOperator(op, args.map(infer).map((a) => a.type), ctx);
}

/** Applies an operator. */
export function op(o: Operator, args: readonly unknown[], ctx: FunctionContext = UTC): unknown {
  const as = args.map(infer);
  return apply(resolveOp(o, as, ctx), as.map((a) => a.value));
}

/** Days since 1970-01-01 of y-m-d. */
export function date(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d);
}

/** Local milliseconds of a date-time. */
export function ts(y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return daysFromCivil(y, m, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}
