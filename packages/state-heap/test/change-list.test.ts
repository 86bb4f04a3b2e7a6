// The change list of incremental snapshots: positions of several intervals grouped by key group, in order.
import { describe, expect, it } from 'vitest';
import { VOID_NAMESPACE } from '@runnel/api/state';
import { ChangeList } from '../src/change-list.js';

function grouped(lists: ChangeList[], size: number): [number, unknown, unknown, number][] {
  const g = ChangeList.byKeyGroup(lists, size);
  const out: [number, unknown, unknown, number][] = [];
  for (let kg = 0; kg < size; kg++) {
    for (let j = g.starts[kg]!; j < g.starts[kg + 1]!; j++) out.push([kg, g.namespaceAt(j), g.keyAt(j), g.slots[j]!]);
  }
  return out;
}

describe('ChangeList', () => {
  it('groups the positions of several intervals by key group, keeping their order within a group', () => {
    const a = new ChangeList();
    const b = new ChangeList(a.length);
    const slots = [10, 11, 12, 13, 14, 15];
    a.push(2, 1_700_000_002_000, 7, slots[0]!);
    a.push(0, VOID_NAMESPACE, 'k', slots[1]!);
    a.push(2, 'w', 2 ** 40 + 0.5, slots[2]!);
    b.push(2, 1_700_000_002_000, 7, slots[3]!);
    b.push(3, VOID_NAMESPACE, { composite: 1 }, slots[4]!);
    b.push(0, -0, Number.NaN, slots[5]!);
    expect(a.length).toBe(3);
    expect(b.length).toBe(3);
    expect(grouped([a, b], 4)).toEqual([
      [0, VOID_NAMESPACE, 'k', slots[1]],
      [0, -0, Number.NaN, slots[5]],
      [2, 1_700_000_002_000, 7, slots[0]],
      [2, 'w', 2 ** 40 + 0.5, slots[2]],
      [2, 1_700_000_002_000, 7, slots[3]],
      [3, VOID_NAMESPACE, { composite: 1 }, slots[4]],
    ]);
  });

  it('grows past its expected size', () => {
    const l = new ChangeList(2);
    const slot = 1;
    for (let i = 0; i < 10_000; i++) l.push(i % 8, i * 0.5, i, slot);
    expect(l.length).toBe(10_000);
    const g = grouped([l], 8);
    expect(g).toHaveLength(10_000);
    expect(g.filter(([kg]) => kg === 3).map(([, , key]) => key)).toEqual(Array.from({ length: 1250 }, (_, j) => j * 8 + 3));
    expect(g.every(([, ns, key]) => ns === (key as number) * 0.5)).toBe(true);
  });

  it('keeps non-numeric namespaces and keys that first appear late and across growth', () => {
    const l = new ChangeList(4);
    for (let i = 0; i < 5_000; i++) {
      const ns = i % 3 === 0 ? VOID_NAMESPACE : i % 3 === 1 ? i : `w${i}`;
      const key = i < 1_000 ? i : i % 2 === 0 ? `k${i}` : [i, 'x'];
      l.push(i % 4, ns, key, i);
    }
    const g = grouped([l], 4);
    expect(g).toHaveLength(5_000);
    for (const [kg, ns, key, slot] of g) {
      expect(kg).toBe(slot % 4);
      expect(ns).toEqual(slot % 3 === 0 ? VOID_NAMESPACE : slot % 3 === 1 ? slot : `w${slot}`);
      expect(key).toEqual(slot < 1_000 ? slot : slot % 2 === 0 ? `k${slot}` : [slot, 'x']);
    }
  });
});
