// Compiles bound expressions into one JavaScript function per operator (`new Function`), so that a projection with
// a filter costs one call per row and no interpretation: fields are array loads, strict functions get inline NULL
// checks, AND/OR/CASE are lazy with SQL's three-valued logic. Function implementations and non-primitive
// literals are passed in arrays (F, L) captured by the generated code.
// Trade-off: code generation takes tens of microseconds per operator and needs `new Function` (a process started
// with --disallow-code-generation-from-strings falls back to the closure interpreter in rex-interpreter.ts).
//
// Common subexpressions are computed once (as Calcite's RexProgram does): a deterministic expression generated a
// second time reuses the variable of the first when that variable is in scope — generated at the top level or in
// an enclosing block — so lazy branches (AND/OR operands, CASE branches) still compute only what they reach. Nexmark
// q21, say, lowers `channel` once instead of five times and runs its REGEXP_EXTRACT once for the filter and the
// projection. A projection that passes every field of the row through unchanged returns the row's own array (rows
// are not mutated once emitted), so a sink's identity mapping costs no copy.
//
// Constants are folded while generating: a deterministic call whose arguments are all literals (as the casts of the
// literals of an IN list or of CASE results are) is evaluated once, and its value inlined when it is a primitive; a
// call that throws is left to throw per row as before. A condition `field = literal` on an integer type that the
// row has passed makes that field the literal for the rest of the projection (Nexmark's views filter on
// `event_type = 2`, and the computed `dateTime` column's `CASE event_type ...` then folds to the bid's branch).
import { formatLogicalType } from '@runnel/api/table';
import type { Rex } from '../plan/rex.js';
import { interpretProjection } from './rex-interpreter.js';
import { inlineCode } from '../functions/inline-code.js';

/** A compiled projection: the output fields for an input row, or undefined when the condition rejects it. @internal */
export type CompiledProjection = (fields: readonly unknown[]) => unknown[] | undefined;

/** A compiled single expression. @internal */
export type CompiledExpression = (fields: readonly unknown[]) => unknown;

/** Structural keys of expressions for common subexpressions: null for those that must be computed each time. */
const cseKeys = new WeakMap<Rex, string | null>();

function cseKey(r: Rex): string | null {
  let k = cseKeys.get(r);
  if (k !== undefined) return k;
  k = computeKey(r);
  cseKeys.set(r, k);
  return k;
}

function literalKey(value: unknown): string | null {
  if (value === null || value === undefined) return 'null';
  const t = typeof value;
  if (t === 'number') return Object.is(value, -0) ? 'n:-0' : `n:${String(value)}`;
  if (t === 'bigint' || t === 'boolean') return `${t[0]}:${String(value)}`;
  if (t === 'string') return `s:${JSON.stringify(value)}`;
  return null; // bytes, arrays, maps: not worth comparing
}

function computeKey(r: Rex): string | null {
  switch (r.kind) {
    case 'input':
      return `$${r.index}`;
    case 'literal': {
      const v = literalKey(r.value);
      return v === null ? null : `${v}:${formatLogicalType(r.type)}`;
    }
    case 'proctime':
      return null;
    case 'call': {
      // A call's implementation is resolved from its name, argument types and literal arguments, all in the key.
      if (!r.call.deterministic) return null;
      // IN with a constant list keeps the list in its implementation, not in its operands: never shared.
      if (r.name === 'IN' || r.name === 'NOT IN') return null;
      const ops = r.operands.map(cseKey);
      if (ops.includes(null)) return null;
      return `${r.name}:${formatLogicalType(r.type)}:${r.call.strictNulls ? 's' : 'n'}(${ops.join(',')})`;
    }
    case 'special': {
      const ops = r.operands.map(cseKey);
      if (ops.includes(null)) return null;
      return `${r.op}:${formatLogicalType(r.type)}(${ops.join(',')})`;
    }
  }
}

const INTEGER_ROOTS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);
const NOT_CONSTANT = Symbol('not a constant');

class Generator {
  readonly F: ((...a: any[]) => unknown)[] = [];
  readonly L: unknown[] = [];
  private n = 0;
  body: string[] = [];
  /** Declarations at the start of the function: the variables of `hoisted`, reset to `U` (not computed) per row. */
  readonly prologue: string[] = [];
  /** Function-level variables holding calls computed in nested blocks, by key (see `gen`). */
  private readonly hoisted = new Map<string, string>();
  /** Variables of computed expressions by key, per open block (innermost last): what the code here can reuse. */
  private readonly scopes: Map<string, string>[] = [new Map()];
  /** The values of the primitive literals generated so far, by their source text (for folding). */
  private readonly constants = new Map<string, unknown>();

  private v(): string {
    return `v${this.n++}`;
  }

  private literal(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    let text: string;
    if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : Number.isFinite(value) ? String(value) : value !== value ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    else if (typeof value === 'boolean') text = String(value);
    else if (typeof value === 'bigint') text = `${value}n`;
    else if (typeof value === 'string') text = JSON.stringify(value);
    else {
      this.L.push(value);
      return `L[${this.L.length - 1}]`;
    }
    this.constants.set(text, value);
    return text;
  }

  /** The value of generated text that is a primitive literal (`null` included), or `NOT_CONSTANT`. */
  private constantOf(text: string): unknown {
    if (text === 'null') return null;
    return this.constants.has(text) ? this.constants.get(text) : NOT_CONSTANT;
  }

  /**
   * After `if (<cond> !== true) return undefined;`: a conjunct `input = literal` of one integer type makes the input
   * that literal in the code that follows (the row passed, so the field is that value, of that representation).
   */
  assume(cond: Rex): void {
    if (cond.kind === 'special' && cond.op === 'AND') {
      for (const o of cond.operands) this.assume(o);
      return;
    }
    if (cond.kind !== 'call' || cond.name !== '=' || cond.operands.length !== 2) return;
    const [a, b] = cond.operands as [Rex, Rex];
    const [input, lit] = a.kind === 'input' && b.kind === 'literal' ? [a, b] : b.kind === 'input' && a.kind === 'literal' ? [b, a] : [undefined, undefined];
    if (input === undefined || lit === undefined || lit.value === null || lit.value === undefined) return;
    if (!INTEGER_ROOTS.has(input.type.root) || input.type.root !== lit.type.root) return;
    const key = cseKey(input);
    if (key !== null) this.scopes[this.scopes.length - 1]!.set(key, this.literal(lit.value));
  }

  gen(r: Rex): string {
    if (r.kind === 'literal') return this.literal(r.value);
    const key = cseKey(r);
    if (key !== null) {
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const known = this.scopes[i]!.get(key);
        if (known !== undefined) return known;
      }
    }
    if (key !== null) {
      const h = this.hoisted.get(key);
      if (h !== undefined) return this.lazy(r, key, h);
    }
    const v = this.genNew(r);
    // A variable holds the value (literals and `null` are inlined and need no entry).
    if (key !== null && /^v\d+$/.test(v)) {
      this.scopes[this.scopes.length - 1]!.set(key, v);
      // A call computed in a nested block (a lazy branch): its value is also kept in a function-level variable, so
      // that code after the block reuses it when the branch ran (q21 lowers `channel` in the filter's OR and again
      // in the projection's CASE). Field accesses are cheaper to repeat than to keep.
      if (this.scopes.length > 1 && r.kind === 'call' && !r.name.startsWith('.')) {
        const h = `h${this.n++}`;
        this.hoisted.set(key, h);
        this.prologue.push(`let ${h} = U;`);
        this.body.push(`${h} = ${v};`);
      }
    }
    return v;
  }

  /** An expression that a closed block may have computed into `h`: that value when it did, else computed now. */
  private lazy(r: Rex, key: string, h: string): string {
    const v = this.v();
    this.body.push(`let ${v}; if (${h} !== U) ${v} = ${h}; else {`);
    this.scopes.push(new Map());
    const x = this.genNew(r);
    this.scopes.pop();
    this.body.push(`${v} = ${h} = ${x}; }`);
    this.scopes[this.scopes.length - 1]!.set(key, v);
    return v;
  }

  private genNew(r: Rex): string {
    switch (r.kind) {
      case 'input': {
        const v = this.v();
        this.body.push(`const ${v} = r[${r.index}];`);
        return v;
      }
      case 'literal':
        return this.literal(r.value);
      case 'proctime': {
        const v = this.v();
        this.body.push(`const ${v} = Date.now();`);
        return v;
      }
      case 'call': {
        const args = r.operands.map((o) => this.gen(o));
        const folded = this.fold(r, args);
        if (folded !== undefined) return folded;
        const v = this.v();
        // A strict call of a NULL literal is NULL; a one-operation implementation is written inline (inline-code.ts).
        const strictNull = r.call.strictNulls && args.includes('null');
        const inline = strictNull || !r.call.strictNulls ? undefined : inlineCode(r.call, args);
        let call: string;
        if (inline !== undefined) call = inline;
        else {
          this.F.push(r.call.impl);
          call = `F[${this.F.length - 1}](${args.join(', ')})`;
        }
        if (r.call.strictNulls && args.length > 0) {
          const checks = args.filter((a) => a !== 'null' && /^v\d+$|^L\[/.test(a)).map((a) => `${a} !== null`);
          if (strictNull) this.body.push(`const ${v} = null;`);
          else if (checks.length === 0) this.body.push(`const ${v} = ${call};`);
          else this.body.push(`const ${v} = ${checks.join(' && ')} ? ${call} : null;`);
        } else {
          this.body.push(`const ${v} = ${call};`);
        }
        return v;
      }
      case 'special':
        return this.special(r);
    }
  }

  /** The literal text of a deterministic call of literals evaluated now, or undefined when it is not folded. */
  private fold(r: Extract<Rex, { kind: 'call' }>, args: readonly string[]): string | undefined {
    if (!r.call.deterministic) return undefined;
    const values = args.map((a) => this.constantOf(a));
    if (values.includes(NOT_CONSTANT)) return undefined;
    let value: unknown;
    if (r.call.strictNulls && values.includes(null)) value = null;
    else {
      try {
        value = r.call.impl(...values);
      } catch {
        return undefined; // the error is raised per row, as without folding
      }
    }
    // Objects (arrays, maps, bytes) are left to be built per row: a row must not share them with other rows.
    if (value === undefined || (value !== null && typeof value === 'object')) return undefined;
    return this.literal(value);
  }

  /**
   * Generates `r` into a nested block that assigns `target`. What the block computes is visible only inside it (and
   * runs only when the block does), so its variables are forgotten when it closes.
   */
  private block(r: Rex, target: string): void {
    const saved = this.body;
    this.body = [];
    this.scopes.push(new Map());
    const x = this.gen(r);
    this.scopes.pop();
    this.body.push(`${target} = ${x};`);
    const inner = this.body;
    this.body = saved;
    this.body.push(`{ ${inner.join(' ')} }`);
  }

  private special(r: Extract<Rex, { kind: 'special' }>): string {
    const v = this.v();
    const ops = r.operands;
    switch (r.op) {
      case 'AND':
      case 'OR': {
        const a = this.gen(ops[0]!);
        const stop = r.op === 'AND' ? 'false' : 'true';
        const b = this.v();
        this.body.push(`let ${v}; if (${a} === ${stop}) ${v} = ${stop}; else { let ${b};`);
        this.block(ops[1]!, b);
        this.body.push(`${v} = ${b} === ${stop} ? ${stop} : (${a} === null || ${b} === null) ? null : ${r.op === 'AND' ? 'true' : 'false'}; }`);
        return v;
      }
      case 'NOT': {
        const a = this.gen(ops[0]!);
        this.body.push(`const ${v} = ${a} === null ? null : !${a};`);
        return v;
      }
      case 'IS NULL':
      case 'IS NOT NULL': {
        const a = this.gen(ops[0]!);
        this.body.push(`const ${v} = ${a} ${r.op === 'IS NULL' ? '===' : '!=='} null;`);
        return v;
      }
      case 'IS TRUE':
      case 'IS NOT TRUE':
      case 'IS FALSE':
      case 'IS NOT FALSE': {
        const a = this.gen(ops[0]!);
        const cmp = r.op.includes('NOT') ? '!==' : '===';
        this.body.push(`const ${v} = ${a} ${cmp} ${r.op.endsWith('TRUE') ? 'true' : 'false'};`);
        return v;
      }
      case 'CASE': {
        // A WHEN condition runs whenever the ones before it were not true: it is generated in the scope of their
        // `else` (the first in the enclosing scope), so later conditions and branches reuse what it computed.
        this.body.push(`let ${v};`);
        let open = 0;
        let decided = false; // a constant true condition: its branch is the value, nothing after it runs
        for (let i = 0; i + 1 < ops.length && !decided; i += 2) {
          const w = this.gen(ops[i]!);
          if (w === 'false' || w === 'null') continue;
          if (w === 'true') {
            this.block(ops[i + 1]!, v);
            decided = true;
            continue;
          }
          this.body.push(`if (${w} === true) {`);
          this.block(ops[i + 1]!, v);
          this.body.push('} else {');
          this.scopes.push(new Map());
          open++;
        }
        if (!decided) this.block(ops[ops.length - 1]!, v);
        for (let i = 0; i < open; i++) this.scopes.pop();
        this.body.push('}'.repeat(open));
        return v;
      }
      case 'SEARCH':
        throw new Error('SEARCH is not generated');
    }
  }
}

let codegen = true;

function build<T>(g: Generator, tail: string): T {
  // U marks a hoisted variable whose expression has not been computed for this row (no SQL value is this object).
  const src = `const U = Symbol('not computed'); return function compiled(r) { ${g.prologue.join(' ')}\n${g.body.join('\n')}\n${tail} };`;
  return new Function('F', 'L', src)(g.F, g.L) as T;
}

/**
 * Compiles a projection with an optional condition, or several conditions checked in order (a fused chain of
 * Calcs: a later one is evaluated only for rows that passed the earlier ones, as when they were separate).
 *
 * @internal
 */
export function compileProjection(projects: readonly Rex[], condition?: Rex | readonly Rex[]): CompiledProjection {
  const conditions: readonly Rex[] = condition === undefined ? [] : Array.isArray(condition) ? condition : [condition as Rex];
  if (codegen) {
    try {
      const g = new Generator();
      for (const cond of conditions) {
        const c = g.gen(cond);
        g.body.push(`if (${c} !== true) return undefined;`);
        g.assume(cond);
      }
      const outs = projects.map((p) => g.gen(p));
      // Every field of the row, in order and unchanged: the row's own array (when it has no more fields).
      const identity = projects.length > 0 && projects.every((p, i) => p.kind === 'input' && p.index === i);
      return build<CompiledProjection>(g, `${identity ? `if (r.length === ${projects.length}) return r; ` : ''}return [${outs.join(', ')}];`);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      codegen = false;
    }
  }
  if (conditions.length <= 1) return interpretProjection(projects, conditions[0]);
  const checks = conditions.map((c) => interpretProjection([c]));
  const project = interpretProjection(projects);
  return (fields) => (checks.every((c) => c(fields)![0] === true) ? project(fields) : undefined);
}

/**
 * Compiles one expression.
 *
 * @internal
 */
export function compileExpression(r: Rex): CompiledExpression {
  if (codegen) {
    try {
      const g = new Generator();
      const out = g.gen(r);
      return build<CompiledExpression>(g, `return ${out};`);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      codegen = false;
    }
  }
  const p = interpretProjection([r]);
  return (fields) => p(fields)![0];
}
