// Restoring a chain of an incremental checkpoint (written by the heap backend): a full snapshot followed by deltas
// whose entries replace earlier ones and whose tombstones (value undefined) remove them, applied in order.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyGroupEntries, StateMetaInfo } from '@runnel/api/state';
import { LevelStateBackend } from '../src/index.js';
import { context, kg } from './helpers.js';

const GENERIC = { id: 'runnel.generic', version: 1 };

describe('LevelDB restore of incremental chains', () => {
  it('applies later entries over earlier ones and removes entries with tombstones, windows included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runnel-level-tomb-'));
    try {
      const states: StateMetaInfo[] = [
        { name: 'v', kind: 'value', valueSerializer: GENERIC },
        { name: 'l', kind: 'list', valueSerializer: GENERIC },
      ];
      const at = (key: number, state: string, ns: string | number, value: unknown): KeyGroupEntries => ({ keyGroup: kg(key), entries: [{ state, key, namespace: ns, value }] });
      const chain: KeyGroupEntries[] = [
        // base
        at(1, 'v', '', 10),
        at(2, 'v', '', 20),
        at(3, 'l', 5, [1, 2]),
        at(4, 'l', 5, [4]),
        // delta 1
        at(1, 'v', '', 11),
        at(2, 'v', '', undefined),
        at(3, 'l', 5, undefined),
        // delta 2: removed, then back
        at(2, 'v', '', 22),
        at(4, 'l', 5, undefined),
      ];
      const b = await new LevelStateBackend({ directory: dir, 'cache-size': 10 }).createKeyedStateBackend(context());
      await b.restore(states, chain);
      const v = b.getValueState<number>({ kind: 'value', name: 'v' });
      const l = b.getListState<number>({ kind: 'list', name: 'l' });
      const read = async (key: number, ns: string | number, f: () => unknown): Promise<unknown> => {
        await b.prefetch?.([key], [kg(key)]);
        b.setCurrentKey(key, kg(key));
        b.setCurrentNamespace(ns);
        return f();
      };
      expect(await read(1, '', () => v.value())).toBe(11);
      expect(await read(2, '', () => v.value())).toBe(22);
      expect(await read(3, 5, () => [...l.get()])).toEqual([]);
      expect(await read(4, 5, () => [...l.get()])).toEqual([]);
      await b.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
