// The compiled projections' reuse of values computed in lazy branches (hoisted common subexpressions): a call that
// a closed branch computed is not computed again, one that the branch did not reach is computed where needed, and
// the results equal the closure interpreter's.
import type { LogicalType } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { compileProjection } from '../../src/codegen/expression-compiler.js';
import { interpretProjection } from '../../src/codegen/rex-interpreter.js';
import type { Rex } from '../../src/plan/rex.js';

const STR: LogicalType = { root: 'VARCHAR', nullable: true, precision: 100 } as LogicalType;
const BOOL: LogicalType = { root: 'BOOLEAN', nullable: true } as LogicalType;
const input = (index: number, type: LogicalType = STR): Rex => ({ kind: 'input', index, type });
const lit = (value: unknown, type: LogicalType = STR): Rex => ({ kind: 'literal', value, type });

/** A deterministic strict call that counts its evaluations; each call of `make` builds a new, equal expression. */
function counted(name: string, f: (...a: any[]) => unknown, type: LogicalType): { make: (...ops: Rex[]) => Rex; calls: () => number } {
  let n = 0;
  const impl = (...a: any[]): unknown => {
    n++;
    return f(...a);
  };
  return { make: (...operands) => ({ kind: 'call', name, call: { type, impl, strictNulls: true, deterministic: true }, operands, type }), calls: () => n };
}

describe('compiled projections reuse what a lazy branch computed', () => {
  it('computes LOWER(s) once per row whether or not the OR reached it (q21 shape)', () => {
    const lower = counted('LOWER', (s: string) => s.toLowerCase(), STR);
    const eq = counted('=', (a: string, b: string) => a === b, BOOL);
    const hasX = counted('HASX', (s: string) => s.includes('x'), BOOL);
    // WHERE HASX(u) OR LOWER(s) = 'apple'; SELECT CASE WHEN LOWER(s) = 'google' THEN 'g' ELSE LOWER(s) END
    const cond: Rex = { kind: 'special', op: 'OR', operands: [hasX.make(input(1)), eq.make(lower.make(input(0)), lit('apple'))], type: BOOL };
    const project: Rex = { kind: 'special', op: 'CASE', operands: [eq.make(lower.make(input(0)), lit('google')), lit('g'), lower.make(input(0))], type: STR };
    const compiled = compileProjection([project], cond);
    const interpreted = interpretProjection([project], cond);
    const rows: unknown[][] = [
      ['Apple', 'a'], // OR's second operand runs: LOWER computed there, reused by the CASE
      ['Google', 'x'], // OR stops at HASX: the CASE computes LOWER itself
      ['Other', 'x'],
      ['Other', 'a'], // filtered out after LOWER
      [null, 'x'], // NULL through both
      [null, 'a'],
    ];
    const expected = ['apple', 'g', 'other', undefined, null, undefined];
    rows.forEach((row, i) => {
      const before = lower.calls();
      const out = compiled(row);
      // once per row (never when s is NULL: the call is strict)
      const lowered = lower.calls() - before;
      if (row[0] === null) expect(lowered).toBe(0);
      else expect(lowered, `row ${i}`).toBe(1);
      expect(out === undefined ? undefined : out[0], `row ${i}`).toEqual(expected[i]);
      const ref = interpreted(row);
      expect(out === undefined ? undefined : out[0]).toEqual(ref === undefined ? undefined : ref[0]);
    });
  });

  it('does not reuse a value across rows', () => {
    const upper = counted('UPPER', (s: string) => s.toUpperCase(), STR);
    const cond: Rex = { kind: 'special', op: 'OR', operands: [lit(false, BOOL), { kind: 'special', op: 'IS NOT NULL', operands: [upper.make(input(0))], type: BOOL }], type: BOOL };
    const compiled = compileProjection([upper.make(input(0))], cond);
    expect(compiled(['a'])).toEqual(['A']);
    expect(compiled(['b'])).toEqual(['B']);
    expect(upper.calls()).toBe(2);
  });
});

describe('calls written inline (ROW field access, comparisons of numbers, bigints and strings)', () => {
  it('compute what the implementations and the interpreter compute, NULLs included', async () => {
    const { fieldAccess } = await import('../../src/binder/rex-builders.js');
    const { resolveComparison } = await import('../../src/functions/comparison-operators.js');
    const BIG: LogicalType = { root: 'BIGINT', nullable: true } as LogicalType;
    const INT: LogicalType = { root: 'INTEGER', nullable: true } as LogicalType;
    const ROWT: LogicalType = { root: 'ROW', nullable: true, fields: [{ name: 'a', type: BIG }, { name: 's', type: STR }] } as LogicalType;
    const ctx = { localTimeZone: 'UTC' };
    const pos = { line: 1, col: 1, offset: 0 };
    const cmp = (op: '=' | '<>' | '<' | '<=' | '>' | '>=', a: Rex, b: Rex): Rex => {
      const call = resolveComparison(op, a.type, b.type, ctx);
      return { kind: 'call', name: op, call, operands: [a, b], type: call.type };
    };
    const a = fieldAccess(input(0, ROWT), 'a', pos);
    const s = fieldAccess(input(0, ROWT), 's', pos);
    const projects: Rex[] = [a, s];
    for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) {
      projects.push(cmp(op, a, lit(5n, BIG)), cmp(op, input(1, INT), lit(5, INT)), cmp(op, a, input(1, INT)), cmp(op, s, lit('m')));
    }
    const compiled = compileProjection(projects);
    const interpreted = interpretProjection(projects);
    const rows: unknown[][] = [
      [[5n, 'm'], 5],
      [[4n, 'a'], 6],
      [[6n, 'z'], 4],
      [[-(2n ** 63n), ''], -2147483648],
      [[null, null], null],
      [null, 0],
      [[2n ** 53n + 1n, 'm'], 5],
    ];
    for (const row of rows) {
      const want = interpreted(row)!;
      expect(compiled(row), JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual(want);
      // and the implementations called directly (what constant folding and the interpreter use)
      const direct = projects.map((p) => (p.kind !== 'call' ? undefined : p.operands.some((o) => interpretProjection([o])(row)![0] === null) ? null : p.call.impl(...p.operands.map((o) => interpretProjection([o])(row)![0]))));
      expect(direct).toEqual(want);
    }
  });
});

describe('DECIMAL arithmetic written inline', () => {
  it('is inlined only where the exact result always fits, and computes what the implementations compute', async () => {
    const { resolveArithmetic } = await import('../../src/functions/arithmetic-operators.js');
    const { inlineCode } = await import('../../src/functions/inline-code.js');
    const BIG: LogicalType = { root: 'BIGINT', nullable: true } as LogicalType;
    const INT: LogicalType = { root: 'INTEGER', nullable: true } as LogicalType;
    const dec = (precision: number, scale: number): LogicalType => ({ root: 'DECIMAL', nullable: true, precision, scale }) as LogicalType;
    const ctx = { localTimeZone: 'UTC' };
    const inlined = (op: '+' | '-' | '*', a: LogicalType, b: LogicalType): boolean => inlineCode(resolveArithmetic(op, a, b, ctx), ['x', 'y']) !== undefined;
    // q1's 0.908 * price: DECIMAL(3, 3) * BIGINT is DECIMAL(23, 3), uncut
    expect(inlined('*', dec(3, 3), BIG)).toBe(true);
    expect(inlined('+', dec(10, 2), dec(12, 2))).toBe(true);
    expect(inlined('-', BIG, dec(19, 0))).toBe(true);
    // cut to 38 digits (the result may not fit: NULL), rescaled, or an operand that is a JavaScript number: a call
    expect(inlined('*', dec(30, 2), dec(20, 2))).toBe(false);
    expect(inlined('+', dec(38, 0), dec(38, 0))).toBe(false);
    expect(inlined('+', dec(10, 2), dec(10, 3))).toBe(false);
    expect(inlined('*', dec(10, 2), INT)).toBe(false);
    const call = (op: '+' | '-' | '*', a: LogicalType, b: LogicalType): Rex => {
      const c = resolveArithmetic(op, a, b, ctx);
      return { kind: 'call', name: op, call: c, operands: [input(0, a), input(1, b)], type: c.type };
    };
    const cases: [Rex, bigint[]][] = [
      [call('*', dec(3, 3), BIG), [999n, 2n ** 63n - 1n, -999n, -(2n ** 63n)]],
      [call('+', dec(18, 2), dec(18, 2)), [10n ** 18n - 1n, 10n ** 18n - 1n, -(10n ** 18n - 1n), 1n]],
      [call('-', BIG, BIG), [-(2n ** 63n), 2n ** 63n - 1n, 0n, 0n]],
    ];
    for (const [rex, values] of cases) {
      const compiled = compileProjection([rex]);
      for (let i = 0; i < values.length; i += 2) {
        const row = [values[i], values[i + 1]];
        expect(compiled(row)![0]).toEqual(rex.kind === 'call' ? rex.call.impl(...row) : undefined);
        expect(compiled([null, values[i + 1]])![0]).toBeNull();
      }
    }
  });
});
