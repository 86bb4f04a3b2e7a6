// Plans a restore: matches the operators of a checkpoint or savepoint to the job's operators by uid, remaps keyed
// state by key group to the new parallelism, redistributes operator state (split or union), and collects the split
// enumerators' state. Everything that does not fit fails here, before any task starts, with a message that names
// the operator uid and the state.
import type { OperatorStateEntries, StateHandle } from '@runnel/api';
import { keyGroupHandlesFor, readOperatorStateFrom, type CheckpointMetadata } from '@runnel/checkpoint';
import type { JobGraph } from '../graph/job-graph.js';
import type { TaskRestoreData } from './state-encoding.js';

/** @internal */
export interface RestorePlan {
  readonly checkpointId: number;
  readonly description: string;
  readonly tasks: TaskRestoreData[];
  /** Split enumerator state per source vertex id. */
  readonly coordinators: Map<number, { serializerId: string; version: number; bytes: Uint8Array }>;
}

/** @internal */
export async function planRestore(
  graph: JobGraph,
  meta: CheckpointMetadata,
  readState: (handle: StateHandle) => Promise<Uint8Array>,
  allowNonRestoredState: boolean,
  description: string,
): Promise<RestorePlan> {
  const nodes = [...graph.streamGraph.nodes.values()];
  const unmatched = meta.operators.filter((o) => !nodes.some((n) => n.uid === o.uid) && (o.keyGroupHandles.length > 0 || o.operatorStateHandles.length > 0 || o.coordinatorState));
  if (unmatched.length > 0 && !allowNonRestoredState) {
    throw new Error(
      `cannot restore from ${description}: it holds state of operator(s) the job no longer has: ` +
        unmatched.map((o) => `'${o.name}' (uid ${o.uid})`).join(', ') +
        '. Give those operators their old uid, or drop their state with --allow-non-restored-state ' +
        '(execution.savepoint.ignore-unclaimed-state).',
    );
  }
  const cache = new Map<string, Promise<Uint8Array>>();
  const read = (h: StateHandle): Promise<Uint8Array> => {
    let p = cache.get(h.ref);
    if (!p) cache.set(h.ref, (p = readState(h)));
    return p;
  };
  const tasks: TaskRestoreData[] = [];
  const coordinators: RestorePlan['coordinators'] = new Map();
  for (const o of meta.operators) {
    const node = nodes.find((n) => n.uid === o.uid);
    if (!node) continue;
    const where = `operator '${node.name}' (uid ${o.uid})`;
    const v = graph.vertexOf(node.id);
    const p = v.parallelism;
    const keyedHandles = o.keyGroupHandles;
    if (keyedHandles.length > 0) {
      if (!node.keySelectors.some((k) => k !== undefined)) {
        throw new Error(`cannot restore keyed state (${o.keyedStates.map((s) => s.name).join(', ')}) of ${where}: the operator is no longer keyed`);
      }
      if (node.maxParallelism !== o.maxParallelism) {
        throw new Error(
          `cannot restore keyed state of ${where}: its maxParallelism changed from ${o.maxParallelism} to ${node.maxParallelism}; ` +
            'keyed state is partitioned into maxParallelism key groups, which must stay the same',
        );
      }
    }
    let perSubtask: OperatorStateEntries[][] | undefined;
    if (o.operatorStateHandles.length > 0) {
      try {
        perSubtask = await readOperatorStateFrom(read, o, p);
      } catch (e) {
        throw new Error(`cannot read operator state (${o.operatorStates.map((s) => s.name).join(', ')}) of ${where}: ${(e as Error).message}`, { cause: e });
      }
    }
    for (let s = 0; s < p; s++) {
      const start = Math.ceil((s * node.maxParallelism) / p);
      const end = Math.ceil(((s + 1) * node.maxParallelism) / p) - 1;
      const overlapping = keyGroupHandlesFor(o, { start, end });
      const chunks: { bytes: Uint8Array; index: [number, number, number][] }[] = [];
      for (const h of overlapping) {
        try {
          chunks.push({ bytes: await read(h.handle), index: h.index as [number, number, number][] });
        } catch (e) {
          throw new Error(`cannot read keyed state (${o.keyedStates.map((x) => x.name).join(', ')}) of ${where}: ${(e as Error).message}`, { cause: e });
        }
      }
      tasks.push({
        uid: o.uid,
        subtask: s,
        checkpointId: meta.checkpointId,
        keyed: keyedHandles.length > 0 ? { states: [...o.keyedStates], chunks } : undefined,
        operatorState: perSubtask?.[s] ?? [],
        watermark: o.watermark,
      });
    }
    if (o.coordinatorState) {
      if (!v.isSource || v.head.uid !== o.uid) throw new Error(`cannot restore split enumerator state of ${where}: the operator is no longer a source`);
      const bytes = await read(o.coordinatorState.handle);
      coordinators.set(v.id, { serializerId: o.coordinatorState.serializer.id, version: o.coordinatorState.serializer.version, bytes });
    }
  }
  return { checkpointId: meta.checkpointId, description, tasks, coordinators };
}
