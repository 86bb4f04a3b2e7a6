// Rewrites of bound expressions for fusing operators (as Calcite's CalcMergeRule and RexProgram merging): an
// expression over a Calc's output becomes an expression over the Calc's input by replacing each field with the
// Calc's expression for it. The translator fuses chains of Calcs (and a scan's computed columns) into one compiled
// function this way, so a row crosses one operator and one array instead of one per Calc. Only deterministic
// expressions are substituted: one referenced twice is then generated twice, and common subexpressions
// (expression-compiler.ts) compute it once, which is only the same thing when it is deterministic.
import type { Rex } from '../plan/rex.js';

/** `r` with every field `i` replaced by `inputs[i]`. @internal */
export function substituteInputs(r: Rex, inputs: readonly Rex[]): Rex {
  switch (r.kind) {
    case 'input': {
      const x = inputs[r.index];
      if (x === undefined) throw new Error(`substituteInputs: no field ${r.index}`);
      return x;
    }
    case 'literal':
    case 'proctime':
      return r;
    case 'call':
    case 'special': {
      let changed = false;
      const ops = r.operands.map((o) => {
        const s = substituteInputs(o, inputs);
        if (s !== o) changed = true;
        return s;
      });
      return changed ? { ...r, operands: ops } : r;
    }
  }
}

/** Whether evaluating `r` twice gives the same value (no RAND, NOW, UUID, PROCTIME, ...). @internal */
export function isDeterministic(r: Rex): boolean {
  switch (r.kind) {
    case 'input':
    case 'literal':
      return true;
    case 'proctime':
      return false;
    case 'call':
      return r.call.deterministic && r.operands.every(isDeterministic);
    case 'special':
      return r.operands.every(isDeterministic);
  }
}
