// Built-in functions on ARRAY, MAP and MULTISET values: CARDINALITY, ELEMENT, ARRAY_CONTAINS, ARRAY_POSITION,
// ARRAY_REMOVE, ARRAY_DISTINCT, ARRAY_REVERSE, MAP_KEYS, MAP_VALUES, MAP_FROM_ARRAYS, and ITEM for subscripts
// (`arr[1]` is 1-based, out of range is NULL; `map['k']` is the key's value or NULL). Elements are compared as `=`
// compares their types; a needle or subscript of another type is converted to the element or key type once.
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext, type ScalarFunctionDefinition } from './function-definition.js';
import { anyNullable, argError, defineFunction, expectInteger, resolved, toNumber } from './define.js';
import { resolveEquality, resolveMixedEquality } from './comparison-operators.js';
import { resolveCast } from '../types/cast.js';
import { isBinary, isConstructed, isIntegral, makeType, sameTypeIgnoringNullability, supportsImplicitCast, typeName, withNullability } from '../types/type-rules.js';

function expectArray(name: string, types: readonly LogicalType[], i: number): LogicalType {
  const t = types[i]!;
  if (t.root !== 'ARRAY') throw argError(name, types, i, 'an ARRAY');
  return t.element!;
}

function expectMap(name: string, types: readonly LogicalType[], i: number): LogicalType {
  const t = types[i]!;
  if (t.root !== 'MAP') throw argError(name, types, i, 'a MAP');
  return t;
}

// equality of an element (type elem) with a needle (type needle), NULLs equal to each other
function elementEquality(name: string, elem: LogicalType, needle: LogicalType, ctx: FunctionContext): (e: unknown, n: unknown) => boolean {
  let eq: (a: unknown, b: unknown) => boolean;
  try {
    eq = needle.root === 'NULL' ? () => false : resolveMixedEquality(elem, needle, ctx);
  } catch (e) {
    if (e instanceof FunctionTypeError) throw new FunctionTypeError(`${name}: the element type ${typeName(elem)} and ${typeName(needle)} are not comparable`);
    throw e;
  }
  return (e, n) => (e === null || e === undefined ? n === null : n !== null && eq(e, n));
}

const CARDINALITY = defineFunction('CARDINALITY', 1, 1, (types) => {
  const t = types[0]!;
  const type = makeType('INTEGER', t.nullable);
  switch (t.root) {
    case 'ARRAY':
      return resolved(type, (a: readonly unknown[]) => a.length);
    case 'MAP':
      return resolved(type, (m: Map<unknown, unknown>) => m.size);
    case 'MULTISET':
      return resolved(type, (m: Map<unknown, number>) => {
        let n = 0;
        for (const c of m.values()) n += c;
        return n;
      });
    default:
      throw argError('CARDINALITY', types, 0, 'an ARRAY, MAP or MULTISET');
  }
});

const ELEMENT = defineFunction('ELEMENT', 1, 1, (types) => {
  const elem = expectArray('ELEMENT', types, 0);
  return resolved(withNullability(elem, true), (a: readonly unknown[]) => {
    if (a.length > 1) throw new SqlRuntimeError(`ELEMENT: the array has ${a.length} elements, not at most one`);
    return a.length === 0 ? null : (a[0] ?? null);
  });
});

const ARRAY_CONTAINS = defineFunction('ARRAY_CONTAINS', 2, 2, (types, ctx) => {
  const elem = expectArray('ARRAY_CONTAINS', types, 0);
  const eq = elementEquality('ARRAY_CONTAINS', elem, types[1]!, ctx);
  return resolved(
    makeType('BOOLEAN', types[0]!.nullable),
    (a: readonly unknown[] | null, n: unknown) => {
      if (a === null) return null;
      for (const e of a) if (eq(e, n)) return true;
      return false;
    },
    { strictNulls: false },
  );
});

const ARRAY_POSITION = defineFunction('ARRAY_POSITION', 2, 2, (types, ctx) => {
  const elem = expectArray('ARRAY_POSITION', types, 0);
  const eq = elementEquality('ARRAY_POSITION', elem, types[1]!, ctx);
  return resolved(makeType('INTEGER', anyNullable(types)), (a: readonly unknown[], n: unknown) => {
    for (let i = 0; i < a.length; i++) if (eq(a[i], n)) return i + 1;
    return 0;
  });
});

const ARRAY_REMOVE = defineFunction('ARRAY_REMOVE', 2, 2, (types, ctx) => {
  const elem = expectArray('ARRAY_REMOVE', types, 0);
  const eq = elementEquality('ARRAY_REMOVE', elem, types[1]!, ctx);
  return resolved(
    withNullability(types[0]!, types[0]!.nullable),
    (a: readonly unknown[] | null, n: unknown) => (a === null ? null : a.filter((e) => !eq(e, n))),
    { strictNulls: false },
  );
});

const ARRAY_DISTINCT = defineFunction('ARRAY_DISTINCT', 1, 1, (types) => {
  const elem = expectArray('ARRAY_DISTINCT', types, 0);
  const primitive = !isConstructed(elem) && !isBinary(elem);
  const eq = resolveEquality(elem);
  return resolved(types[0]!, (a: readonly unknown[]) => {
    if (primitive) return [...new Set(a.map((x) => x ?? null))];
    const out: unknown[] = [];
    for (const x of a) {
      const v = x ?? null;
      if (!out.some((y) => (y === null ? v === null : v !== null && eq(y, v)))) out.push(v);
    }
    return out;
  });
});

const ARRAY_REVERSE = defineFunction('ARRAY_REVERSE', 1, 1, (types) => {
  expectArray('ARRAY_REVERSE', types, 0);
  return resolved(types[0]!, (a: readonly unknown[]) => [...a].reverse());
});

const MAP_KEYS = defineFunction('MAP_KEYS', 1, 1, (types) => {
  const m = expectMap('MAP_KEYS', types, 0);
  return resolved({ root: 'ARRAY', nullable: m.nullable, element: m.key! }, (v: Map<unknown, unknown>) => [...v.keys()]);
});

const MAP_VALUES = defineFunction('MAP_VALUES', 1, 1, (types) => {
  const m = expectMap('MAP_VALUES', types, 0);
  return resolved({ root: 'ARRAY', nullable: m.nullable, element: m.element! }, (v: Map<unknown, unknown>) => [...v.values()]);
});

const MAP_FROM_ARRAYS = defineFunction('MAP_FROM_ARRAYS', 2, 2, (types) => {
  const k = expectArray('MAP_FROM_ARRAYS', types, 0);
  const v = expectArray('MAP_FROM_ARRAYS', types, 1);
  return resolved({ root: 'MAP', nullable: anyNullable(types), key: k, element: v }, (ks: readonly unknown[], vs: readonly unknown[]) => {
    if (ks.length !== vs.length) throw new SqlRuntimeError(`MAP_FROM_ARRAYS: ${ks.length} keys and ${vs.length} values`);
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < ks.length; i++) m.set(ks[i] ?? null, vs[i] ?? null);
    return m;
  });
});

const ITEM = defineFunction('ITEM', 2, 2, (types, ctx) => {
  const t = types[0]!;
  const idx = types[1]!;
  if (t.root === 'ARRAY') {
    expectInteger('ITEM', types, 1);
    return resolved(withNullability(t.element!, true), (a: readonly unknown[], i: number | bigint) => {
      const k = toNumber(i);
      return k >= 1 && k <= a.length ? (a[k - 1] ?? null) : null;
    });
  }
  if (t.root === 'MAP') {
    const key = t.key!;
    const type = withNullability(t.element!, true);
    const primitive = !isConstructed(key) && !isBinary(key);
    if (primitive && (sameTypeIgnoringNullability(key, idx) || (isIntegral(key) && isIntegral(idx) && (key.root === 'BIGINT') === (idx.root === 'BIGINT')))) {
      return resolved(type, (m: Map<unknown, unknown>, k: unknown) => m.get(k) ?? null);
    }
    if (primitive && (idx.root === 'NULL' || supportsImplicitCast(withNullability(idx, true), withNullability(key, true)))) {
      const conv = resolveCast(idx, withNullability(key, true), true, ctx);
      return resolved(type, (m: Map<unknown, unknown>, k: unknown) => m.get(conv(k)) ?? null);
    }
    // other keys: a scan with `=` semantics
    let eq: (a: unknown, b: unknown) => boolean;
    try {
      eq = resolveMixedEquality(key, idx, ctx);
    } catch {
      throw argError('ITEM', types, 1, `comparable with the key type ${typeName(key)}`);
    }
    return resolved(type, (m: Map<unknown, unknown>, k: unknown) => {
      for (const [x, v] of m) if (x !== null && eq(x, k)) return v ?? null;
      return null;
    });
  }
  throw argError('ITEM', types, 0, 'an ARRAY or a MAP');
});

/**
 * The built-in collection functions.
 *
 * @internal
 */
export const COLLECTION_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  CARDINALITY,
  ELEMENT,
  ARRAY_CONTAINS,
  ARRAY_POSITION,
  ARRAY_REMOVE,
  ARRAY_DISTINCT,
  ARRAY_REVERSE,
  MAP_KEYS,
  MAP_VALUES,
  MAP_FROM_ARRAYS,
  ITEM,
];
