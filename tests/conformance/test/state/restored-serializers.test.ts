// Both state backends (and every writer/reader pair of them) refuse to restore a state into a descriptor whose
// serializer cannot read what wrote it — another serializer id, or a newer version — naming the state, the operator
// and both serializers; the same serializer, or an older version of it, restores with the values intact.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompatibilityAwareSerializer, VersionedSerializer } from '@runnel/api';
import {
  keyGroupFor,
  type KeyedStateBackend,
  type KeyGroupEntries,
  type KeyedStateSnapshot,
  type StateMetaInfo,
} from '@runnel/api/state';
import { HeapStateBackend } from '@runnel/state-heap';
import { LevelStateBackend } from '@runnel/state-level';

const MAX_PAR = 16;
const KEYS = ['a', 'b', 'c', 'd'];
const dirs: string[] = [];
const open: KeyedStateBackend[] = [];

afterAll(async () => {
  for (const b of open.splice(0)) await b.dispose();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

type Kind = 'heap' | 'level';

async function create(kind: Kind): Promise<KeyedStateBackend> {
  const context = {
    jobId: 'job',
    operatorUid: 'counts-by-user',
    subtaskIndex: 3,
    parallelism: 4,
    maxParallelism: MAX_PAR,
    keyGroupRange: { start: 0, end: MAX_PAR - 1 },
    clock: () => 0,
  };
  let backend: KeyedStateBackend;
  if (kind === 'heap') backend = new HeapStateBackend().createKeyedStateBackend(context);
  else {
    const dir = await mkdtemp(join(tmpdir(), 'runnel-conformance-serializers-'));
    dirs.push(dir);
    backend = await new LevelStateBackend().createKeyedStateBackend({ ...context, localDirectory: dir });
  }
  open.push(backend);
  return backend;
}

function at(b: KeyedStateBackend, key: string): void {
  b.setCurrentKey(key, keyGroupFor(key, MAX_PAR));
}

/**
 * A string serializer whose versions differ in layout: version 1 writes the UTF-8 text, version 2 a marker byte
 * then the text. Every version reads the versions up to its own, and refuses what it does not know.
 */
function textSerializer(id: string, version: 1 | 2): VersionedSerializer<string> {
  return {
    id,
    version,
    serialize: (v) => {
      const text = Buffer.from(v, 'utf8');
      return version === 1 ? new Uint8Array(text) : new Uint8Array(Buffer.concat([Buffer.from([0xee]), text]));
    },
    deserialize: (bytes, written) => {
      if (written > version) throw new Error(`${id} v${version} cannot read v${written}`);
      if (written === 2) {
        if (bytes[0] !== 0xee) throw new Error('v2 bytes without their marker');
        return Buffer.from(bytes.subarray(1)).toString('utf8');
      }
      return Buffer.from(bytes).toString('utf8');
    },
  };
}

async function capture(b: KeyedStateBackend): Promise<{ states: readonly StateMetaInfo[]; groups: KeyGroupEntries[] }> {
  const snap: KeyedStateSnapshot = b.snapshot!(1);
  const groups: KeyGroupEntries[] = [];
  for await (const g of snap.write() as AsyncIterable<KeyGroupEntries>) groups.push(g);
  await snap.release();
  return { states: snap.states, groups };
}

/** A snapshot of value state 'last-name' (and map state 'tags') written by a backend of `kind` with `ser`. */
async function written(kind: Kind, ser: VersionedSerializer<string>, mapKeys?: VersionedSerializer<string>) {
  const b = await create(kind);
  const value = b.getValueState({ kind: 'value', name: 'last-name', serializer: ser });
  const map = b.getMapState({ kind: 'map', name: 'tags', keySerializer: mapKeys ?? ser, valueSerializer: ser });
  for (const k of KEYS) {
    await b.prefetch?.([k], [keyGroupFor(k, MAX_PAR)]);
    at(b, k);
    value.update(`name-${k}`);
    map.put(`tag-${k}`, `v-${k}`);
  }
  return capture(b);
}

/** Restores `snap` into a new backend of `kind`, registering the states before or after the restore. */
async function restored(
  kind: Kind,
  snap: { states: readonly StateMetaInfo[]; groups: KeyGroupEntries[] },
  ser: VersionedSerializer<string>,
  order: 'register-first' | 'restore-first',
  mapKeys?: VersionedSerializer<string>,
): Promise<Map<string, [string | undefined, string | undefined]>> {
  const b = await create(kind);
  const register = () => ({
    value: b.getValueState({ kind: 'value', name: 'last-name', serializer: ser }),
    map: b.getMapState({ kind: 'map', name: 'tags', keySerializer: mapKeys ?? ser, valueSerializer: ser }),
  });
  let handles = order === 'register-first' ? register() : undefined;
  await b.restore!(snap.states, snap.groups);
  handles ??= register();
  const out = new Map<string, [string | undefined, string | undefined]>();
  for (const k of KEYS) {
    await b.prefetch?.([k], [keyGroupFor(k, MAX_PAR)]);
    at(b, k);
    out.set(k, [handles.value.value(), handles.map.get(`tag-${k}`)]);
  }
  return out;
}

const expected = new Map(KEYS.map((k) => [k, [`name-${k}`, `v-${k}`]]));
const pairs: [Kind, Kind][] = [
  ['heap', 'heap'],
  ['level', 'level'],
  ['heap', 'level'],
  ['level', 'heap'],
];

describe.each(pairs)('serializers of restored state: written by %s, restored into %s', (from, into) => {
  for (const order of ['register-first', 'restore-first'] as const) {
    it(`another serializer id fails, naming state, operator and both serializers (${order})`, async () => {
      const snap = await written(from, textSerializer('test.text-a', 1));
      const err = await restored(into, snap, textSerializer('test.text-b', 1), order).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err!.name).toBe('StateMigrationError');
      expect(err!.message).toContain("keyed state 'last-name' of operator 'counts-by-user' (subtask 3)");
      expect(err!.message).toContain("written by serializer 'test.text-a' version 1");
      expect(err!.message).toContain("names serializer 'test.text-b' version 1");
      expect(err!.message).toContain('Restore with the serializer that wrote the state');
    });

    it(`a newer version than the registered serializer reads fails (${order})`, async () => {
      const snap = await written(from, textSerializer('test.text-a', 2));
      await expect(restored(into, snap, textSerializer('test.text-a', 1), order)).rejects.toThrow(
        /'last-name'.*written by serializer 'test\.text-a' version 2.*names serializer 'test\.text-a' version 1.*cannot read the newer version 2/,
      );
    });

    it(`the same serializer restores every value (${order})`, async () => {
      const snap = await written(from, textSerializer('test.text-a', 2));
      expect(await restored(into, snap, textSerializer('test.text-a', 2), order)).toEqual(expected);
    });

    it(`an older version of the serializer restores every value (${order})`, async () => {
      const snap = await written(from, textSerializer('test.text-a', 1));
      expect(await restored(into, snap, textSerializer('test.text-a', 2), order)).toEqual(expected);
    });
  }

  it('a map state whose key serializer changed fails, naming the map keys', async () => {
    const ser = textSerializer('test.text-a', 1);
    const snap = await written(from, ser, textSerializer('test.key-a', 1));
    await expect(restored(into, snap, ser, 'restore-first', textSerializer('test.key-b', 1))).rejects.toThrow(
      /keyed state 'tags'.*its map keys were written by serializer 'test\.key-a' version 1.*names serializer 'test\.key-b'/,
    );
  });

  it("a serializer's own compatibility verdict decides (incompatible, with its reason)", async () => {
    const snap = await written(from, textSerializer('test.text-a', 1));
    const strict: CompatibilityAwareSerializer<string> = {
      ...textSerializer('test.text-a', 2),
      resolveCompatibility: (w) =>
        w.version < 2 ? { kind: 'incompatible', reason: 'version 1 stored Latin-1' } : { kind: 'compatible-as-is' },
    };
    await expect(restored(into, snap, strict, 'restore-first')).rejects.toThrow(/judges them incompatible: version 1 stored Latin-1/);
  });
});
