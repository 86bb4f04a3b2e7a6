// The change list of incremental snapshots: positions of several intervals grouped by key group, in order.
import { describe, expect, it } from 'vitest';
import { VOID_NAMESPACE } from '@runnel/api/state';
import { ChangeList } from '../src/change-list.js';

function grouped(lists: ChangeList[], size: number): [number, unknown, unknown, number][] {
  const { starts, items } = ChangeList.byKeyGroup(lists, size);
  const out: [number, unknown, unknown, number][] = [];
  for (let kg = 0; kg < size; kg++) {
    for (let i = starts[kg]! * 3; i < starts[kg + 1]! * 3; i += 3) out.push([kg, items[i], items[i + 1], items[i + 2] as number]);
  }
  return out;
}

describe('ChangeList', () => {
  it('groups the positions of several intervals by key group, keeping their order within a group', () => {
    const a = new ChangeList();
    const b = new ChangeList(a.length);
    const cells = [10, 11, 12, 13, 14, 15];
    a.push(2, 1_700_000_002_000, 7, cells[0]!);
    a.push(0, VOID_NAMESPACE, 'k', cells[1]!);
    a.push(2, 'w', 2 ** 40 + 0.5, cells[2]!);
    b.push(2, 1_700_000_002_000, 7, cells[3]!);
    b.push(3, VOID_NAMESPACE, { composite: 1 }, cells[4]!);
    b.push(0, -0, Number.NaN, cells[5]!);
    expect(a.length).toBe(3);
    expect(b.length).toBe(3);
    expect(grouped([a, b], 4)).toEqual([
      [0, VOID_NAMESPACE, 'k', cells[1]],
      [0, -0, Number.NaN, cells[5]],
      [2, 1_700_000_002_000, 7, cells[0]],
      [2, 'w', 2 ** 40 + 0.5, cells[2]],
      [2, 1_700_000_002_000, 7, cells[3]],
      [3, VOID_NAMESPACE, { composite: 1 }, cells[4]],
    ]);
  });

  it('grows past its expected size', () => {
    const l = new ChangeList(2);
    const cell = 1;
    for (let i = 0; i < 10_000; i++) l.push(i % 8, i * 0.5, i, cell);
    expect(l.length).toBe(10_000);
    const g = grouped([l], 8);
    expect(g).toHaveLength(10_000);
    expect(g.filter(([kg]) => kg === 3).map(([, , key]) => key)).toEqual(Array.from({ length: 1250 }, (_, j) => j * 8 + 3));
    expect(g.every(([, ns, key]) => ns === (key as number) * 0.5)).toBe(true);
  });
});
