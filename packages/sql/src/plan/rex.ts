// Bound expressions (Calcite's RexNode): expressions after name resolution and type checking. A field is an index
// into the input row; a call carries the implementation its definition resolved for the argument types. The
// expression compiler turns lists of these into one JavaScript function per operator.
import type { LogicalType } from '@runnel/api/table';
import type { ResolvedCall } from '../functions/function-definition.js';

/** A field of the input row. @internal */
export interface RexInput {
  readonly kind: 'input';
  readonly index: number;
  readonly type: LogicalType;
}

/** A constant, in its runtime representation. @internal */
export interface RexLiteral {
  readonly kind: 'literal';
  readonly value: unknown;
  readonly type: LogicalType;
}

/** A call of a resolved function or operator. @internal */
export interface RexCall {
  readonly kind: 'call';
  /** For EXPLAIN and digests: `UPPER`, `+`, `CAST`. */
  readonly name: string;
  readonly call: ResolvedCall;
  readonly operands: readonly Rex[];
  readonly type: LogicalType;
}

/** Three-valued AND / OR / NOT, IS [NOT] NULL/TRUE/FALSE, CASE: compiled inline (they are lazy or null-aware). @internal */
export interface RexSpecial {
  readonly kind: 'special';
  readonly op: 'AND' | 'OR' | 'NOT' | 'IS NULL' | 'IS NOT NULL' | 'IS TRUE' | 'IS NOT TRUE' | 'IS FALSE' | 'IS NOT FALSE' | 'CASE' | 'SEARCH';
  readonly operands: readonly Rex[];
  readonly type: LogicalType;
}

/** PROCTIME(), CURRENT_ROW_TIMESTAMP(): the processing time when the row is evaluated. @internal */
export interface RexProctime {
  readonly kind: 'proctime';
  readonly type: LogicalType;
}

/** @internal */
export type Rex = RexInput | RexLiteral | RexCall | RexSpecial | RexProctime;

/** A short text of an expression for EXPLAIN and plan digests (fields as `$i`, or names when given). @internal */
export function rexToString(r: Rex, names?: readonly string[]): string {
  switch (r.kind) {
    case 'input':
      return names?.[r.index] ?? `$${r.index}`;
    case 'literal':
      return literalText(r.value);
    case 'proctime':
      return 'PROCTIME()';
    case 'call':
      if (/^[^A-Za-z]/.test(r.name) && r.operands.length === 2) return `(${rexToString(r.operands[0]!, names)} ${r.name} ${rexToString(r.operands[1]!, names)})`;
      return `${r.name}(${r.operands.map((o) => rexToString(o, names)).join(', ')})`;
    case 'special':
      return `${r.op}(${r.operands.map((o) => rexToString(o, names)).join(', ')})`;
  }
}

function literalText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'bigint') return `${v}`;
  if (v instanceof Uint8Array) return `X'${Buffer.from(v).toString('hex')}'`;
  if (Array.isArray(v)) return `[${v.map(literalText).join(', ')}]`;
  return String(v);
}

/** Whether an expression reads no fields and is deterministic (can be folded at planning). @internal */
export function isConstant(r: Rex): boolean {
  switch (r.kind) {
    case 'input':
    case 'proctime':
      return false;
    case 'literal':
      return true;
    case 'call':
      return r.call.deterministic && r.operands.every(isConstant);
    case 'special':
      return r.operands.every(isConstant);
  }
}

/** The input fields an expression reads. @internal */
export function inputsOf(r: Rex, into: Set<number> = new Set()): Set<number> {
  if (r.kind === 'input') into.add(r.index);
  else if (r.kind === 'call' || r.kind === 'special') for (const o of r.operands) inputsOf(o, into);
  return into;
}
