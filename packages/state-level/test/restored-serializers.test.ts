// A restored state is checked against the serializer its descriptor names: another id or a newer version fails
// clearly (at restore when the state is registered, at registration otherwise) instead of misreading the stored
// bytes; an older version of the same serializer reads them (the version byte stored with each value says which).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VersionedSerializer } from '@runnel/api';
import type { KeyGroupEntries, StateMetaInfo } from '@runnel/api/state';
import { LevelKeyedStateBackend, LevelStateBackend } from '../src/index.js';
import { context, drain, kg } from './helpers.js';

const opened: LevelKeyedStateBackend[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const b of opened.splice(0)) await b.dispose();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function open(): Promise<LevelKeyedStateBackend> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-level-serializers-'));
  dirs.push(dir);
  const b = await new LevelStateBackend().createKeyedStateBackend({ ...context(), localDirectory: dir });
  opened.push(b);
  return b;
}

/** Numbers as text; version 2 appends '!' (so reading v1 bytes as v2 would give wrong values). */
function numbers(id: string, version: number): VersionedSerializer<number> {
  return {
    id,
    version,
    serialize: (n) => new TextEncoder().encode(version >= 2 ? `${n}!` : `${n}`),
    deserialize: (b, written) => {
      if (written > version) throw new Error(`cannot read v${written}`);
      const s = new TextDecoder().decode(b);
      return Number(written >= 2 ? s.slice(0, -1) : s);
    },
  };
}

async function snapshotWith(ser: VersionedSerializer<number>): Promise<{ states: readonly StateMetaInfo[]; groups: KeyGroupEntries[] }> {
  const b = await open();
  const v = b.getValueState({ kind: 'value', name: 'count', serializer: ser });
  for (const k of [1, 2, 3]) {
    await b.prefetch([k], [kg(k)]);
    b.setCurrentKey(k, kg(k));
    v.update(k * 10);
  }
  const s = b.snapshot(1);
  const groups = await drain(s);
  await s.release();
  return { states: s.states, groups };
}

describe('LevelKeyedStateBackend: serializers of restored state', () => {
  it('fails at registration when the restored state was written by another serializer', async () => {
    const { states, groups } = await snapshotWith(numbers('test.num-a', 1));
    const b = await open();
    await b.restore(states, groups);
    expect(() => b.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-b', 1) })).toThrow(
      "cannot restore keyed state 'count' of operator 'op/1' (subtask 0): its values were written by serializer " +
        "'test.num-a' version 1, but the state descriptor names serializer 'test.num-b' version 1",
    );
  });

  it('fails at restore when the registered serializer is older than the one that wrote the state', async () => {
    const { states, groups } = await snapshotWith(numbers('test.num-a', 2));
    const b = await open();
    b.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-a', 1) });
    await expect(b.restore(states, groups)).rejects.toThrow(/version 1 cannot read the newer version 2/);
  });

  for (const [written, used] of [
    [1, 1],
    [1, 2],
  ] as const) {
    it(`restores values written by version ${written} into version ${used} of the same serializer`, async () => {
      const { states, groups } = await snapshotWith(numbers('test.num-a', written));
      const b = await open();
      await b.restore(states, groups);
      const v = b.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-a', used) });
      for (const k of [1, 2, 3]) {
        await b.prefetch([k], [kg(k)]);
        b.setCurrentKey(k, kg(k));
        expect(v.value()).toBe(k * 10);
      }
    });
  }
});
