// Rescaling of operator (non-keyed) list state, as Flink does it: `split` lists of all old subtasks are
// concatenated (in subtask order) and dealt round-robin to the new subtasks; `union` lists are concatenated and
// given whole to every new subtask. Deterministic, so every restoring subtask computes the same assignment. At an
// unchanged parallelism every subtask gets its own `split` lists back, as in Flink: a reader resumes the splits it
// was reading, and a sink writer its own files.

import type { OperatorStateEntries } from '@runnel/api';

/**
 * Redistributes the operator state of `perSubtask.length` old subtasks over `newParallelism` new ones.
 *
 * Every new subtask receives every state name that any old subtask had (possibly with no elements), in order of
 * first appearance, so the operator can register it. Element `i` of the concatenated split list goes to new
 * subtask `i % newParallelism` — unless the parallelism is unchanged: then each subtask keeps its own split lists.
 *
 * @throws RangeError when `newParallelism` is not a positive integer, or one name has both modes.
 * @public
 */
export function redistributeOperatorState(
  perSubtask: readonly (readonly OperatorStateEntries[])[],
  newParallelism: number,
): OperatorStateEntries[][] {
  if (!Number.isInteger(newParallelism) || newParallelism < 1) {
    throw new RangeError(`newParallelism must be a positive integer, got ${newParallelism}`);
  }
  const merged = new Map<string, { mode: 'split' | 'union'; elements: unknown[] }>();
  for (const states of perSubtask) {
    for (const s of states) {
      let m = merged.get(s.name);
      if (m === undefined) {
        m = { mode: s.mode, elements: [] };
        merged.set(s.name, m);
      } else if (m.mode !== s.mode) {
        throw new RangeError(`operator state "${s.name}" is "${m.mode}" in one subtask and "${s.mode}" in another`);
      }
      for (const e of s.elements) m.elements.push(e);
    }
  }
  const out: OperatorStateEntries[][] = [];
  for (let t = 0; t < newParallelism; t++) out.push([]);
  const same = perSubtask.length === newParallelism;
  for (const [name, { mode, elements }] of merged) {
    if (same && mode === 'split') {
      for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: perSubtask[t]!.find((s) => s.name === name)?.elements.slice() ?? [] });
      continue;
    }
    if (mode === 'union') {
      for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: t === 0 ? elements : elements.slice() });
      continue;
    }
    const dealt: unknown[][] = [];
    for (let t = 0; t < newParallelism; t++) dealt.push([]);
    for (let i = 0; i < elements.length; i++) dealt[i % newParallelism]!.push(elements[i]);
    for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: dealt[t]! });
  }
  return out;
}
