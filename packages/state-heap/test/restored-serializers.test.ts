// A restored state is checked against the serializer its descriptor names: another id or a newer version fails
// clearly (at restore when the state is registered, at registration otherwise); an older version reads fine.
import { describe, expect, it } from 'vitest';
import type { VersionedSerializer } from '@runnel/api';
import { keyGroupFor, type KeyGroupEntries } from '@runnel/api/state';
import { createBackend, MAX_PARALLELISM } from './helpers.js';

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

/** A snapshot of value state 'count' written with `ser`. */
function snapshotWith(ser: VersionedSerializer<number>) {
  const t = createBackend();
  const v = t.backend.getValueState({ kind: 'value', name: 'count', serializer: ser });
  for (const k of [1, 2, 3]) {
    t.at(k);
    v.update(k * 10);
  }
  const s = t.backend.snapshot(1);
  const groups = [...(s.write() as Iterable<KeyGroupEntries>)];
  return { states: s.states, groups };
}

describe('HeapKeyedStateBackend: serializers of restored state', () => {
  it('fails at registration when the restored state was written by another serializer', () => {
    const { states, groups } = snapshotWith(numbers('test.num-a', 1));
    const t = createBackend();
    t.backend.restore(states, groups);
    expect(() => t.backend.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-b', 1) })).toThrow(
      "cannot restore keyed state 'count' of operator 'op' (subtask 0): its values were written by serializer " +
        "'test.num-a' version 1, but the state descriptor names serializer 'test.num-b' version 1",
    );
  });

  it('fails at restore when the registered serializer is older than the one that wrote the state', () => {
    const { states, groups } = snapshotWith(numbers('test.num-a', 2));
    const t = createBackend();
    t.backend.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-a', 1) });
    expect(() => t.backend.restore(states, groups)).toThrow(/version 1 cannot read the newer version 2/);
  });

  it('fails when plain (generic) state is registered with a serializer', () => {
    const t0 = createBackend();
    const v0 = t0.backend.getValueState<number>({ kind: 'value', name: 'count' });
    t0.at(1);
    v0.update(5);
    const s = t0.backend.snapshot(1);
    const t = createBackend();
    t.backend.restore(s.states, [...(s.write() as Iterable<KeyGroupEntries>)]);
    expect(() => t.backend.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-a', 1) })).toThrow(
      /written by serializer 'runnel\.generic' version 1/,
    );
  });

  for (const [written, used] of [
    [1, 1],
    [1, 2],
  ] as const) {
    it(`restores values written by version ${written} into version ${used} of the same serializer`, () => {
      const { states, groups } = snapshotWith(numbers('test.num-a', written));
      const t = createBackend();
      t.backend.restore(states, groups);
      const v = t.backend.getValueState({ kind: 'value', name: 'count', serializer: numbers('test.num-a', used) });
      for (const k of [1, 2, 3]) {
        t.backend.setCurrentKey(k, keyGroupFor(k, MAX_PARALLELISM));
        expect(v.value()).toBe(k * 10);
      }
    });
  }
});
