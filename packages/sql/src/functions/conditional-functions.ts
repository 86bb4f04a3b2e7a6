// Conditional functions: IF, COALESCE, NULLIF, IFNULL, GREATEST, LEAST. Their arguments are cast to the common
// type Flink derives (least restrictive type); the casts are resolved once here, so the implementation only picks
// a value. Note: as ordinary calls their arguments are evaluated before the call (Flink evaluates IF and COALESCE
// lazily); a binder that needs laziness (e.g. IF(x <> 0, 1 / x, 0)) rewrites them to CASE.
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, type FunctionContext, type ScalarFunctionDefinition } from './function-definition.js';
import { anyNullable, defineFunction, expectBoolean, resolved } from './define.js';
import { resolveMixedEquality, resolveOrdering } from './comparison-operators.js';
import { resolveCast } from '../types/cast.js';
import { commonType, sameTypeIgnoringNullability, typeName, withNullability } from '../types/type-rules.js';

type Conv = (v: unknown) => unknown;

function common(name: string, types: readonly LogicalType[]): LogicalType {
  const t = commonType(types);
  if (!t) throw new FunctionTypeError(`${name}: the types ${types.map(typeName).join(', ')} have no common type`);
  return t;
}

// the conversion of a value of type `from` to `to`, undefined when none is needed
function convert(from: LogicalType, to: LogicalType, ctx: FunctionContext): Conv | undefined {
  if (from.root === 'NULL' || sameTypeIgnoringNullability(from, to)) return undefined;
  return resolveCast(from, withNullability(to, true), false, ctx);
}

const IF = defineFunction('IF', 3, 3, (types, ctx) => {
  expectBoolean('IF', types, 0);
  const t = common('IF', [types[1]!, types[2]!]);
  const a = convert(types[1]!, t, ctx);
  const b = convert(types[2]!, t, ctx);
  const type = withNullability(t, types[1]!.nullable || types[2]!.nullable);
  if (!a && !b) return resolved(type, (c: unknown, x: unknown, y: unknown) => (c === true ? x : y), { strictNulls: false });
  const fa = a ?? ((v: unknown) => v);
  const fb = b ?? ((v: unknown) => v);
  return resolved(type, (c: unknown, x: unknown, y: unknown) => (c === true ? (x === null ? null : fa(x)) : y === null ? null : fb(y)), { strictNulls: false });
});

const COALESCE = defineFunction('COALESCE', 1, Infinity, (types, ctx) => {
  const t = common('COALESCE', types);
  const convs = types.map((x) => convert(x, t, ctx));
  const type = withNullability(t, types.every((x) => x.nullable));
  if (convs.every((c) => c === undefined)) {
    if (types.length === 2) return resolved(type, (x: unknown, y: unknown) => (x !== null ? x : y), { strictNulls: false });
    return resolved(
      type,
      (...v: unknown[]) => {
        for (const x of v) if (x !== null) return x;
        return null;
      },
      { strictNulls: false },
    );
  }
  return resolved(
    type,
    (...v: unknown[]) => {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== null) {
          const c = convs[i];
          return c ? c(x) : x;
        }
      }
      return null;
    },
    { strictNulls: false },
  );
});

const IFNULL = defineFunction('IFNULL', 2, 2, (types, ctx) => {
  const t = common('IFNULL', types);
  const a = convert(types[0]!, t, ctx) ?? ((v: unknown) => v);
  const b = convert(types[1]!, t, ctx) ?? ((v: unknown) => v);
  // Flink: nullable only when the replacement is
  const type = withNullability(t, types[1]!.nullable);
  return resolved(type, (x: unknown, y: unknown) => (x !== null ? a(x) : y === null ? null : b(y)), { strictNulls: false });
});

const NULLIF = defineFunction('NULLIF', 2, 2, (types, ctx) => {
  const eq = resolveMixedEquality(types[0]!, types[1]!, ctx);
  return resolved(withNullability(types[0]!, true), (x: unknown, y: unknown) => (x === null ? null : y !== null && eq(x, y) ? null : x), { strictNulls: false });
});

function extreme(name: 'GREATEST' | 'LEAST'): ScalarFunctionDefinition {
  const sign = name === 'GREATEST' ? 1 : -1;
  return defineFunction(name, 1, Infinity, (types, ctx) => {
    const t = common(name, types);
    const order = resolveOrdering(t);
    const convs = types.map((x) => convert(x, t, ctx));
    const type = withNullability(t, anyNullable(types));
    if (convs.every((c) => c === undefined)) {
      if (types.length === 2) return resolved(type, (x: unknown, y: unknown) => (sign * order(y, x) > 0 ? y : x));
      return resolved(type, (...v: unknown[]) => {
        let best = v[0];
        for (let i = 1; i < v.length; i++) if (sign * order(v[i], best) > 0) best = v[i];
        return best;
      });
    }
    return resolved(type, (...v: unknown[]) => {
      let best = convs[0] ? convs[0](v[0]) : v[0];
      for (let i = 1; i < v.length; i++) {
        const c = convs[i];
        const x = c ? c(v[i]) : v[i];
        if (sign * order(x, best) > 0) best = x;
      }
      return best;
    });
  });
}

/**
 * IF, COALESCE, IFNULL, NULLIF, GREATEST, LEAST.
 *
 * @internal
 */
export const CONDITIONAL_FUNCTIONS: readonly ScalarFunctionDefinition[] = [IF, COALESCE, IFNULL, NULLIF, extreme('GREATEST'), extreme('LEAST')];
