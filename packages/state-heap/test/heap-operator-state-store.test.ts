import { describe, expect, it } from 'vitest';
import { HeapStateBackend, type HeapOperatorStateStore } from '../src/index.js';

function store(subtaskIndex = 0): HeapOperatorStateStore {
  const context = { jobId: 'j', operatorUid: 'op', subtaskIndex, parallelism: 2 };
  return new HeapStateBackend().createOperatorStateStore(context);
}

describe('HeapOperatorStateStore', () => {
  it('keeps split and union list state by name', () => {
    const s = store();
    const offsets = s.getListState<number>({ kind: 'list', name: 'offsets' });
    const union = s.getUnionListState<string>({ kind: 'list', name: 'all' });
    expect(offsets.get()).toEqual([]);
    offsets.addAll([1, 2]);
    offsets.add(3);
    union.add('a');
    expect(s.getListState<number>({ kind: 'list', name: 'offsets' }).get()).toEqual([1, 2, 3]);
    offsets.update([9]);
    expect(offsets.get()).toEqual([9]);
    union.clear();
    expect(union.get()).toEqual([]);
    expect(s.stateNames()).toEqual(['offsets', 'all']);
  });

  it('rejects a name reused with the other distribution mode', () => {
    const s = store();
    s.getListState({ kind: 'list', name: 'x' });
    expect(() => s.getUnionListState({ kind: 'list', name: 'x' })).toThrow(
      "operator state 'x' is registered as list state and cannot be used as union list state",
    );
  });

  it('snapshots with distribution modes and restores before registration', () => {
    const a = store(0);
    a.getListState<number>({ kind: 'list', name: 'split' }).addAll([1, 2, 3, 4]);
    a.getUnionListState<number>({ kind: 'list', name: 'union' }).addAll([7]);
    const snapshot: [string, string, unknown[]][] = [];
    a.forEachState((name, mode, values) => snapshot.push([name, mode, [...values]]));
    expect(snapshot).toEqual([
      ['split', 'split', [1, 2, 3, 4]],
      ['union', 'union', [7]],
    ]);

    // Rescale to two subtasks: split lists are divided, union lists go whole to each.
    const targets = [store(0), store(1)];
    for (const [name, mode, values] of snapshot) {
      targets.forEach((t, i) => {
        const part = mode === 'union' ? values : values.filter((_, j) => j % 2 === i);
        t.restoreState(name, mode as 'split' | 'union', part);
      });
    }
    expect(targets[0]!.getListState({ kind: 'list', name: 'split' }).get()).toEqual([1, 3]);
    expect(targets[1]!.getListState({ kind: 'list', name: 'split' }).get()).toEqual([2, 4]);
    expect(targets[1]!.getUnionListState({ kind: 'list', name: 'union' }).get()).toEqual([7]);
    expect(() => targets[0]!.getListState({ kind: 'list', name: 'union' })).toThrow(/union list state/);
  });

  it('dispose is idempotent', () => {
    const s = store();
    s.getListState({ kind: 'list', name: 'x' });
    s.dispose();
    s.dispose();
    expect(s.stateNames()).toEqual([]);
    expect(() => s.getListState({ kind: 'list', name: 'x' })).toThrow(/disposed/);
  });
});
