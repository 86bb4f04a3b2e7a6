// Turns operator captures into bytes for the checkpoint storage (on the task's thread, off the data path) and
// restored bytes back into entries. Keyed state is encoded per key group with an index, so a restoring subtask
// decodes only the key groups it owns.
import type { KeyGroupEntries, KeyGroupRange, OperatorStateEntries, StateMetaInfo } from '@runnel/api';
import { decodeKeyGroupRange, encodeKeyGroups, encodeOperatorState } from '@runnel/checkpoint';
import type { OperatorCapture, OperatorRestore } from './operator-snapshot.js';
import { StateRestoreError } from './state-restore-error.js';

/** The encoded state of one operator of one subtask. @internal */
export interface EncodedOperatorState {
  readonly uid: string;
  readonly keyed?: {
    readonly states: StateMetaInfo[];
    readonly bytes: Uint8Array;
    readonly index: [number, number, number][];
    /** A delta on top of the keyed state of this completed checkpoint (incremental checkpoints). */
    readonly base?: number;
  };
  readonly operatorState?: { readonly bytes: Uint8Array; readonly states: { name: string; mode: 'split' | 'union' }[] };
  /** The operator's current watermark at the barrier (-Infinity: none yet). */
  readonly watermark: number;
}

/** What a subtask receives to restore one operator. @internal */
export interface TaskRestoreData {
  readonly uid: string;
  readonly subtask: number;
  readonly checkpointId: number;
  readonly keyed?: { readonly states: StateMetaInfo[]; readonly chunks: { bytes: Uint8Array; index: [number, number, number][] }[] };
  readonly operatorState: OperatorStateEntries[];
  /** See {@link OperatorRestore.watermark}. */
  readonly watermark?: number;
}

async function collect(it: AsyncIterable<KeyGroupEntries> | Iterable<KeyGroupEntries>): Promise<KeyGroupEntries[]> {
  const out: KeyGroupEntries[] = [];
  for await (const g of it) out.push(g);
  return out;
}

/** Merges backend entries and timer entries per key group, in key-group order. */
function merge(a: KeyGroupEntries[], b: KeyGroupEntries[]): KeyGroupEntries[] {
  if (b.length === 0) return a;
  const m = new Map<number, KeyGroupEntries['entries'][number][]>();
  for (const g of [...a, ...b]) {
    let l = m.get(g.keyGroup);
    if (!l) m.set(g.keyGroup, (l = []));
    for (const e of g.entries) l.push(e);
  }
  return [...m.entries()].sort((x, y) => x[0] - y[0]).map(([keyGroup, entries]) => ({ keyGroup, entries }));
}

/** @internal */
export async function encodeCapture(uid: string, capture: OperatorCapture, watermark: number): Promise<EncodedOperatorState> {
  let keyed: EncodedOperatorState['keyed'];
  if (capture.keyed && 'encoded' in capture.keyed) {
    keyed = capture.keyed.encoded;
  } else if (capture.keyed) {
    try {
      const groups = merge(await collect(capture.keyed.snapshot.write()), capture.keyed.timers);
      const { bytes, index } = encodeKeyGroups(groups);
      keyed = { states: [...capture.keyed.snapshot.states], bytes, index: index as [number, number, number][] };
    } finally {
      await capture.keyed.snapshot.release();
    }
  }
  const operatorState =
    capture.operatorState.length > 0
      ? { bytes: encodeOperatorState(capture.operatorState), states: capture.operatorState.map((s) => ({ name: s.name, mode: s.mode })) }
      : undefined;
  return { uid, keyed, operatorState, watermark };
}

/** Decodes what a subtask restores; errors name the operator uid. @internal */
export function decodeRestore(data: TaskRestoreData, range: KeyGroupRange, operatorName: string): OperatorRestore {
  let keyed: OperatorRestore['keyed'];
  if (data.keyed) {
    const groups: KeyGroupEntries[] = [];
    for (const c of data.keyed.chunks) {
      try {
        for (const g of decodeKeyGroupRange(c.bytes, c.index, range)) groups.push(g);
      } catch (e) {
        throw new StateRestoreError(
          `cannot restore keyed state (${data.keyed.states.map((s) => s.name).join(', ')}) of operator '${operatorName}' (uid ${data.uid}): ${(e as Error).message}`,
          { cause: e },
        );
      }
    }
    keyed = { states: data.keyed.states, groups };
  }
  return { keyed, operatorState: data.operatorState, checkpointId: data.checkpointId, watermark: data.watermark };
}
