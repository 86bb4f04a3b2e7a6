// Builders of bound expressions shared by the expression binders: a resolved call with its type errors placed at
// the node, implicit and explicit casts, the common type of several expressions, ROW field access.
import { inlinable } from '../functions/inline-code.js';
import type { LogicalType } from '@runnel/api/table';
import type { Expr } from '../parser/ast.js';
import type { Rex } from '../plan/rex.js';
import { FunctionTypeError, type FunctionContext, type ResolvedCall } from '../functions/function-definition.js';
import { resolveCast } from '../types/cast.js';
import { commonType } from '../types/type-rules.js';
import { SqlValidationError } from '../validation-error.js';

/** The type with the given nullability. @internal */
export function withNullable(t: LogicalType, nullable: boolean): LogicalType {
  return t.nullable === nullable ? t : { ...t, nullable };
}

/** Applies a resolved call, translating type errors to validation errors at the node's position. @internal */
export function callRex(name: string, resolve: () => ResolvedCall, operands: readonly Rex[], pos: Expr['pos']): Rex {
  let call: ResolvedCall;
  try {
    call = resolve();
  } catch (e) {
    if (e instanceof FunctionTypeError) throw new SqlValidationError(`${name}: ${e.message}`, pos);
    throw e;
  }
  return { kind: 'call', name, call, operands, type: call.type };
}

/** A CAST of a bound expression (no-op when the type is already the target, up to nullability). @internal */
export function castRex(r: Rex, to: LogicalType, ctx: FunctionContext, pos: Expr['pos'] | undefined, tryCast = false): Rex {
  if (sameType(r.type, to)) return r;
  let impl: (v: unknown) => unknown;
  try {
    impl = resolveCast(r.type, to, tryCast, ctx);
  } catch (e) {
    if (e instanceof FunctionTypeError) throw new SqlValidationError(e.message, pos);
    throw e;
  }
  const type = tryCast ? withNullable(to, true) : withNullable(to, to.nullable || r.type.nullable);
  return { kind: 'call', name: tryCast ? 'TRY_CAST' : 'CAST', call: { type, impl, strictNulls: true, deterministic: true }, operands: [r], type };
}

/** Structural type equality ignoring nullability and time attributes. @internal */
export function sameType(a: LogicalType, b: LogicalType): boolean {
  if (a.root !== b.root || a.precision !== b.precision || a.scale !== b.scale) return false;
  if (a.element || b.element) if (!a.element || !b.element || !sameType(a.element, b.element)) return false;
  if (a.key || b.key) if (!a.key || !b.key || !sameType(a.key, b.key)) return false;
  if (a.fields || b.fields) {
    if (!a.fields || !b.fields || a.fields.length !== b.fields.length) return false;
    for (let i = 0; i < a.fields.length; i++) if (!sameType(a.fields[i]!.type, b.fields[i]!.type)) return false;
  }
  return true;
}

/** Casts each expression to the common type of all of them (CASE branches, COALESCE, IN lists). @internal */
export function unify(rs: readonly Rex[], ctx: FunctionContext, pos: Expr['pos'], what: string): Rex[] {
  const t = commonType(rs.map((r) => r.type));
  if (!t) throw new SqlValidationError(`${what}: the types ${rs.map((r) => fmt(r.type)).join(', ')} have no common type`, pos);
  return rs.map((r) => (r.type.root === 'NULL' ? { kind: 'literal', value: null, type: withNullable(t, true) } : castRex(r, withNullable(t, r.type.nullable), ctx, pos)));
}

/** A type's short name for messages. @internal */
export function fmt(t: LogicalType): string {
  return t.root === 'INTEGER' ? 'INT' : t.root;
}

/** Access to a ROW field by name. @internal */
export function fieldAccess(r: Rex, name: string, pos: Expr['pos']): Rex {
  if (r.type.root !== 'ROW') throw new SqlValidationError(`'${name}' is not a field: the expression is of type ${fmt(r.type)}, not ROW`, pos);
  const i = r.type.fields!.findIndex((f) => f.name === name);
  if (i < 0) throw new SqlValidationError(`ROW has no field '${name}' (fields: ${r.type.fields!.map((f) => f.name).join(', ')})`, pos);
  const ft = r.type.fields![i]!.type;
  const type = withNullable(ft, ft.nullable || r.type.nullable);
  const impl = inlinable((row: readonly unknown[]): unknown => row[i] ?? null, ([row]) => `(${row}[${i}] ?? null)`);
  return { kind: 'call', name: `.${name}`, call: { type, impl, strictNulls: true, deterministic: true }, operands: [r], type };
}

