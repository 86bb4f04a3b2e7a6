// Rescaling of operator (non-keyed) list state, as Flink does it (its RoundRobinOperatorStateRepartitioner): `split`
// lists of all old subtasks are concatenated (in subtask order) and cut into contiguous, evenly sized ranges, one per
// new subtask; `union` lists are concatenated and given whole to every new subtask. Contiguous ranges keep what one
// old subtask held together where they can (a sink writer's pending committables, in order, go to one committer
// instead of being dealt over all of them), and the subtasks that take the one extra element of an uneven split
// rotate from one state name to the next, so several small states do not all load subtask 0. Deterministic, so every restoring subtask computes the same assignment. At an
// unchanged parallelism every subtask gets its own `split` lists back, as in Flink: a reader resumes the splits it
// was reading, and a sink writer its own files.

import type { OperatorStateEntries } from '@runnel/api';

/**
 * Redistributes the operator state of `perSubtask.length` old subtasks over `newParallelism` new ones.
 *
 * Every new subtask receives every state name that any old subtask had (possibly with no elements), in order of
 * first appearance, so the operator can register it. The concatenated split list of a name is cut into
 * `newParallelism` contiguous ranges whose sizes differ by at most one — unless the parallelism is unchanged: then
 * each subtask keeps its own split lists.
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
  let start = 0; // the new subtask the next split state's ranges start at
  for (const [name, { mode, elements }] of merged) {
    if (same && mode === 'split') {
      for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: perSubtask[t]!.find((s) => s.name === name)?.elements.slice() ?? [] });
      continue;
    }
    if (mode === 'union') {
      for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: t === 0 ? elements : elements.slice() });
      continue;
    }
    // Ranges in subtask order starting at `start`; the first `extra` of them take one element more.
    const base = Math.floor(elements.length / newParallelism);
    const extra = elements.length % newParallelism;
    const ranges: unknown[][] = new Array<unknown[]>(newParallelism);
    let at = 0;
    for (let i = 0; i < newParallelism; i++) {
      const t = (start + i) % newParallelism;
      const n = base + (i < extra ? 1 : 0);
      ranges[t] = elements.slice(at, at + n);
      at += n;
    }
    for (let t = 0; t < newParallelism; t++) out[t]!.push({ name, mode, elements: ranges[t]! });
    start = (start + extra) % newParallelism;
  }
  return out;
}
