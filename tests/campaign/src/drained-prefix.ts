// The records a drained stop read: a stop-with-savepoint with drain processes exactly the records before the
// savepoint barrier and then fires every window, so its committed output must equal the reference over those
// records. They follow from the savepoint's source state: files still pending in the enumerator were not read, a
// file a reader held was read up to its position, every other file was read whole; likewise for datagen splits.
import { decodeOperatorState, FsCheckpointStorage } from '@runnel/checkpoint';
import { fileEnumeratorStateSerializer, fileSplitSerializer, type FileSplit } from '@runnel/connector-files';
import { sequenceEnumeratorStateSerializer, sequenceSplitSerializer, type SequenceSplit } from '@runnel/connector-datagen';
import { basename } from 'node:path';
import { datagenEvent, eventsPerFile, fileEvent, fileName, type Ev } from './events.js';
import type { JobSpec } from './scenario.js';

const SPLITS_STATE = '__source-splits';

async function sourceState<S>(
  sp: Awaited<ReturnType<typeof FsCheckpointStorage.openSavepoint>>,
  uid: string,
  deserialize: (bytes: Uint8Array, version: number) => S,
): Promise<{ splits: S[]; enumeratorBytes?: { bytes: Uint8Array; version: number } } | undefined> {
  const op = sp.metadata.operators.find((o) => o.uid === uid);
  if (op === undefined) return undefined;
  const splits: S[] = [];
  for (const h of op.operatorStateHandles) {
    for (const st of decodeOperatorState(await sp.storage.readState(sp.ref, h.handle))) {
      if (st.name !== SPLITS_STATE) continue;
      for (const e of st.elements) {
        const [, version, bytes] = e as [string, number, Uint8Array];
        splits.push(deserialize(bytes, version));
      }
    }
  }
  const c = op.coordinatorState;
  return { splits, ...(c ? { enumeratorBytes: { bytes: await sp.storage.readState(sp.ref, c.handle), version: c.serializer.version } } : {}) };
}

/** The input records a job had read when it took the savepoint at `path`. */
export async function consumedEvents(spec: JobSpec, path: string, firstParallelism: number): Promise<{ ev: Ev; side: 1 | 2 }[]> {
  const sp = await FsCheckpointStorage.openSavepoint(path);
  const out: { ev: Ev; side: 1 | 2 }[] = [];
  const input = spec.input;
  const files = await sourceState<FileSplit>(sp, 'files', (b, v) => fileSplitSerializer.deserialize(b, v));
  if (files === undefined) throw new Error(`savepoint ${path} has no state of the file source`);
  const pending = new Set(
    files.enumeratorBytes ? fileEnumeratorStateSerializer.deserialize(files.enumeratorBytes.bytes, files.enumeratorBytes.version).pendingSplits.map((s) => basename(s.path)) : [],
  );
  const held = new Map(files.splits.map((s) => [basename(s.path), s]));
  const n = eventsPerFile(input);
  for (let i = 0; i < input.files; i++) {
    const name = fileName(i);
    if (pending.has(name)) continue;
    const split = held.get(name);
    const upTo = split === undefined ? n : split.line - 1;
    for (let j = 0; j < upTo; j++) out.push({ ev: fileEvent(input, i, j), side: 1 });
  }
  if (input.datagenRows > 0) {
    const ser = sequenceSplitSerializer('runnel.datagen.split');
    const gen = await sourceState<SequenceSplit>(sp, 'datagen', (b, v) => ser.deserialize(b, v));
    if (gen === undefined) throw new Error(`savepoint ${path} has no state of the datagen source`);
    const pendingIdx = new Set(
      gen.enumeratorBytes ? sequenceEnumeratorStateSerializer('runnel.datagen.enumerator-state').deserialize(gen.enumeratorBytes.bytes, gen.enumeratorBytes.version).pending.map((s) => s.index) : [],
    );
    const heldIdx = new Map(gen.splits.map((s) => [s.index, s]));
    const total = input.datagenRows;
    // Bounded datagen splits are the contiguous chunks of the parallelism the job first ran at.
    for (let i = 0; i < firstParallelism; i++) {
      if (pendingIdx.has(i)) continue;
      const from = Math.floor((total * i) / firstParallelism);
      const to = heldIdx.get(i)?.next ?? Math.floor((total * (i + 1)) / firstParallelism);
      for (let s = from; s < to; s++) out.push({ ev: datagenEvent(input, s), side: 2 });
    }
  }
  return out;
}
