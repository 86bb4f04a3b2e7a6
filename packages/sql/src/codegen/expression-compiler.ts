// Compiles bound expressions into one JavaScript function per operator (`new Function`), so that a projection with
// a filter costs one call per row and no interpretation: fields are array loads, strict functions get inline NULL
// checks, AND/OR/CASE are lazy with SQL's three-valued logic. Function implementations and non-primitive
// literals are passed in arrays (F, L) captured by the generated code.
// Trade-off: code generation takes tens of microseconds per operator and needs `new Function` (a process started
// with --disallow-code-generation-from-strings falls back to the closure interpreter in rex-interpreter.ts).
import type { Rex } from '../plan/rex.js';
import { interpretProjection } from './rex-interpreter.js';

/** A compiled projection: the output fields for an input row, or undefined when the condition rejects it. @internal */
export type CompiledProjection = (fields: readonly unknown[]) => unknown[] | undefined;

/** A compiled single expression. @internal */
export type CompiledExpression = (fields: readonly unknown[]) => unknown;

class Generator {
  readonly F: ((...a: any[]) => unknown)[] = [];
  readonly L: unknown[] = [];
  private n = 0;
  body: string[] = [];

  private v(): string {
    return `v${this.n++}`;
  }

  private literal(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isFinite(value) ? String(value) : value !== value ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    if (typeof value === 'boolean') return String(value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'string') return JSON.stringify(value);
    this.L.push(value);
    return `L[${this.L.length - 1}]`;
  }

  gen(r: Rex): string {
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
        this.F.push(r.call.impl);
        const f = `F[${this.F.length - 1}]`;
        const v = this.v();
        if (r.call.strictNulls && args.length > 0) {
          const checks = args.filter((a) => a !== 'null' && /^v\d+$|^L\[/.test(a)).map((a) => `${a} !== null`);
          if (args.includes('null')) this.body.push(`const ${v} = null;`);
          else if (checks.length === 0) this.body.push(`const ${v} = ${f}(${args.join(', ')});`);
          else this.body.push(`const ${v} = ${checks.join(' && ')} ? ${f}(${args.join(', ')}) : null;`);
        } else {
          this.body.push(`const ${v} = ${f}(${args.join(', ')});`);
        }
        return v;
      }
      case 'special':
        return this.special(r);
    }
  }

  /** Generates `r` into a nested block that assigns `target`. */
  private block(r: Rex, target: string): void {
    const saved = this.body;
    this.body = [];
    const x = this.gen(r);
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
        this.body.push(`let ${v};`);
        let open = 0;
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const w = this.v();
          this.body.push(`let ${w};`);
          this.block(ops[i]!, w);
          this.body.push(`if (${w} === true) {`);
          this.block(ops[i + 1]!, v);
          this.body.push('} else {');
          open++;
        }
        this.block(ops[ops.length - 1]!, v);
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
  const src = `return function compiled(r) { ${g.body.join('\n')}\n${tail} };`;
  return new Function('F', 'L', src)(g.F, g.L) as T;
}

/**
 * Compiles a projection with an optional condition.
 *
 * @internal
 */
export function compileProjection(projects: readonly Rex[], condition?: Rex): CompiledProjection {
  if (codegen) {
    try {
      const g = new Generator();
      if (condition) {
        const c = g.gen(condition);
        g.body.push(`if (${c} !== true) return undefined;`);
      }
      const outs = projects.map((p) => g.gen(p));
      return build<CompiledProjection>(g, `return [${outs.join(', ')}];`);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      codegen = false;
    }
  }
  return interpretProjection(projects, condition);
}

/**
 * Compiles one expression.
 *
 * @internal
 */
export function compileExpression(r: Rex): CompiledExpression {
  const p = compileProjection([r]);
  return (fields) => p(fields)![0];
}
