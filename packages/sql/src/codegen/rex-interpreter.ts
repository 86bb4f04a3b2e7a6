// A closure-based evaluator of bound expressions: the fallback where code generation is not allowed, and the
// evaluator of constants at planning time. Same semantics as the generated code.
import type { Rex } from '../plan/rex.js';

type Eval = (r: readonly unknown[]) => unknown;

function compile(x: Rex): Eval {
  switch (x.kind) {
    case 'input': {
      const i = x.index;
      return (r) => r[i];
    }
    case 'literal': {
      const v = x.value;
      return () => v;
    }
    case 'proctime':
      return () => Date.now();
    case 'call': {
      const args = x.operands.map(compile);
      const f = x.call.impl;
      const strict = x.call.strictNulls;
      return (r) => {
        const vals = args.map((a) => a(r));
        if (strict && vals.some((v) => v === null)) return null;
        return f(...vals);
      };
    }
    case 'special': {
      const ops = x.operands.map(compile);
      switch (x.op) {
        case 'AND':
          return (r) => {
            const a = ops[0]!(r);
            if (a === false) return false;
            const b = ops[1]!(r);
            return b === false ? false : a === null || b === null ? null : true;
          };
        case 'OR':
          return (r) => {
            const a = ops[0]!(r);
            if (a === true) return true;
            const b = ops[1]!(r);
            return b === true ? true : a === null || b === null ? null : false;
          };
        case 'NOT':
          return (r) => {
            const a = ops[0]!(r);
            return a === null ? null : !a;
          };
        case 'IS NULL':
          return (r) => ops[0]!(r) === null;
        case 'IS NOT NULL':
          return (r) => ops[0]!(r) !== null;
        case 'IS TRUE':
          return (r) => ops[0]!(r) === true;
        case 'IS NOT TRUE':
          return (r) => ops[0]!(r) !== true;
        case 'IS FALSE':
          return (r) => ops[0]!(r) === false;
        case 'IS NOT FALSE':
          return (r) => ops[0]!(r) !== false;
        case 'CASE':
          return (r) => {
            for (let i = 0; i + 1 < ops.length; i += 2) if (ops[i]!(r) === true) return ops[i + 1]!(r);
            return ops[ops.length - 1]!(r);
          };
        case 'SEARCH':
          throw new Error('SEARCH is not interpreted');
      }
    }
  }
}

/** Evaluates a projection with closures. @internal */
export function interpretProjection(projects: readonly Rex[], condition?: Rex): (r: readonly unknown[]) => unknown[] | undefined {
  const c = condition ? compile(condition) : undefined;
  const ps = projects.map(compile);
  return (r) => (c && c(r) !== true ? undefined : ps.map((p) => p(r)));
}

/** Evaluates an expression that reads no fields. @internal */
export function evaluateRex(x: Rex): unknown {
  return compile(x)([]);
}
