// Field aggregations (Flink's sum/min/max/minBy/maxBy): each is a reduce function over whole records that reads one
// field (a property name, or a position of a tuple/array record), so keyed streams run it through the rolling
// reduce and windows through the window reduce, with the same state, checkpoints and restores as any reduce.
// The field types below restrict, at compile time, which fields each aggregation accepts.
import { describeRecord } from '../operators/user-function-error.js';
import type { ReduceFunction } from './functions.js';

/**
 * The property keys of T (or, for tuple and array records, the positions) whose values are of type V, allowing
 * `null` and `undefined` besides (the aggregations reject those at run time). A field whose type mixes V with other
 * types (e.g. `number | string`) is not one.
 *
 * @public
 */
export type FieldOf<T, V> = 0 extends 1 & T
  ? string | number
  : [T] extends [readonly unknown[]]
    ? {
        [I in keyof T]-?: [NonNullable<T[I]>] extends [never]
          ? never
          : [NonNullable<T[I]>] extends [V]
            ? I extends number
              ? I
              : I extends `${infer N extends number}`
                ? N
                : never
            : never;
      }[number]
    : Extract<
        {
          [K in keyof T]-?: [NonNullable<T[K]>] extends [never] ? never : [NonNullable<T[K]>] extends [V] ? K : never;
        }[keyof T],
        string | number
      >;

/**
 * The fields `sum` accepts: all `number` or all `bigint` (a field typed `number | bigint` is neither: sums never
 * mix the two).
 *
 * @public
 */
export type NumericField<T> = FieldOf<T, number> | FieldOf<T, bigint>;

/**
 * The fields `min`, `max`, `minBy` and `maxBy` accept: of one comparable type, `number`, `bigint`, `string` or
 * `Date`.
 *
 * @public
 */
export type ComparableField<T> = FieldOf<T, number> | FieldOf<T, bigint> | FieldOf<T, string> | FieldOf<T, Date>;

/** @internal */
export type FieldAggregationKind = 'sum' | 'min' | 'max' | 'minBy' | 'maxBy';

/**
 * A field aggregation: the reduce function, and the check of a single record. The reduce path hands a key's (or a
 * window's) first record to the output without calling `reduce`, so the operator checks every record itself.
 *
 * @internal
 */
export interface FieldAggregation<T> {
  /** `sum(amount)`, `minBy(2)`: names the operator and starts every error message. */
  readonly label: string;
  readonly reduce: ReduceFunction<T>;
  /** Throws a TypeError naming the aggregation and field if the record's field cannot be aggregated. */
  readonly check: (record: T) => void;
}

type ValueKind = 'number' | 'bigint' | 'string' | 'Date';

const SUMMABLE: readonly ValueKind[] = ['number', 'bigint'];
const COMPARABLE: readonly ValueKind[] = ['number', 'bigint', 'string', 'Date'];

function kindOf(v: unknown): ValueKind | undefined {
  switch (typeof v) {
    case 'number':
      return 'number';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    default:
      return v instanceof Date ? 'Date' : undefined;
  }
}

function describeKind(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  const k = kindOf(v);
  if (k) return `a ${k}`;
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/**
 * Total order of numbers as Java's `Double.compare`, which Flink's aggregations use: NaN is greater than every
 * number (so `min` skips it and `max` picks it) and equal to itself. Unlike Java, -0 and 0 are equal, as in JS.
 */
function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  return na === nb ? 0 : na ? 1 : -1;
}

function compareValues(a: unknown, b: unknown, kind: ValueKind): number {
  if (kind === 'number') return compareNumbers(a as number, b as number);
  if (kind === 'Date') return compareNumbers((a as Date).getTime(), (b as Date).getTime());
  // bigint and string (UTF-16 code units, as Java's String.compareTo).
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

/**
 * A copy of the record with one field replaced. Never in place: the record is held in state and may still be
 * referenced by operators it was emitted to (or by the caller's collection, in local execution).
 */
function withField<T>(record: T, field: string | number, value: unknown): T {
  if (Array.isArray(record)) {
    const copy = record.slice();
    copy[field as number] = value;
    return copy as T;
  }
  const copy = Object.assign(Object.create(Object.getPrototypeOf(record) as object | null) as object, record) as Record<string | number, unknown>;
  copy[field] = value;
  return copy as T;
}

/**
 * The aggregation `kind` of `field`. For `minBy`/`maxBy`, `first` decides ties: keep the earlier record (true) or
 * take the later one (false).
 *
 * @internal
 */
export function fieldAggregation<T>(kind: FieldAggregationKind, field: string | number, first = true): FieldAggregation<T> {
  if (!(typeof field === 'string' || (typeof field === 'number' && Number.isInteger(field) && field >= 0))) {
    throw new TypeError(`${kind}: the field must be a property name or a non-negative integer position, got ${String(field)}`);
  }
  if (typeof first !== 'boolean') throw new TypeError(`${kind}: 'first' must be a boolean, got ${String(first)}`);
  const label = `${kind}(${field})`;
  const fieldName = typeof field === 'number' ? `position ${field}` : `field '${field}'`;
  const accepted = kind === 'sum' ? SUMMABLE : COMPARABLE;
  const needs = kind === 'sum' ? 'a number or a bigint' : 'a number, bigint, string or Date';

  /** The record's field value and its kind; throws naming the aggregation and field if it cannot be aggregated. */
  function read(record: T): [unknown, ValueKind] {
    if (record === null || typeof record !== 'object') {
      throw new TypeError(`${label}: expected a record (an object or array) with ${fieldName}, got ${describeRecord(record, 120)}`);
    }
    const v = (record as Record<string | number, unknown>)[field];
    const k = kindOf(v);
    if (k === undefined || !accepted.includes(k)) {
      throw new TypeError(`${label}: ${fieldName} is ${describeKind(v)} in record ${describeRecord(record, 200)}; ${kind} needs ${needs} in every record`);
    }
    return [v, k];
  }

  function readPair(a: T, b: T): [unknown, unknown, ValueKind] {
    const [va, ka] = read(a);
    const [vb, kb] = read(b);
    if (ka !== kb) {
      const what = kind === 'sum' ? 'cannot add' : 'cannot compare';
      throw new TypeError(
        `${label}: ${what} ${describeKind(va)} and ${describeKind(vb)} (${fieldName} of records ${describeRecord(a, 120)} and ` +
          `${describeRecord(b, 120)}); the field must hold one type in every record` +
          (kind === 'sum' ? ' (number and bigint are never mixed)' : ''),
      );
    }
    return [va, vb, ka];
  }

  let reduce: ReduceFunction<T>;
  switch (kind) {
    case 'sum':
      reduce = (a, b) => {
        const [va, vb, k] = readPair(a, b);
        return withField(a, field, k === 'bigint' ? (va as bigint) + (vb as bigint) : (va as number) + (vb as number));
      };
      break;
    // min/max: the value only; every other field stays as in the first record (Flink's semantics).
    case 'min':
      reduce = (a, b) => {
        const [va, vb, k] = readPair(a, b);
        return compareValues(va, vb, k) <= 0 ? a : withField(a, field, vb);
      };
      break;
    case 'max':
      reduce = (a, b) => {
        const [va, vb, k] = readPair(a, b);
        return compareValues(va, vb, k) >= 0 ? a : withField(a, field, vb);
      };
      break;
    case 'minBy':
      reduce = (a, b) => {
        const [va, vb, k] = readPair(a, b);
        const c = compareValues(va, vb, k);
        return c < 0 ? a : c > 0 ? b : first ? a : b;
      };
      break;
    case 'maxBy':
      reduce = (a, b) => {
        const [va, vb, k] = readPair(a, b);
        const c = compareValues(va, vb, k);
        return c > 0 ? a : c < 0 ? b : first ? a : b;
      };
      break;
    default:
      throw new TypeError(`unknown field aggregation '${String(kind)}'`);
  }
  return { label, reduce, check: (record) => void read(record) };
}
