import { describe, expect, it } from 'vitest';
import type { OperatorStateEntries } from '@runnel/api';
import { CheckpointCorruptedError, decodeOperatorState, encodeOperatorState, redistributeOperatorState } from '../../src/index.js';

const states: OperatorStateEntries[] = [
  { name: 'offsets', mode: 'split', elements: [{ topic: 't', partition: 0, offset: 10n }, { topic: 't', partition: 1, offset: 3n }] },
  { name: 'buffered', mode: 'union', elements: [new Uint8Array([9, 8]), 'x', null] },
  { name: 'empty', mode: 'split', elements: [] },
];

function subtaskStates(subtasks: number, perSubtask: number): OperatorStateEntries[][] {
  return Array.from({ length: subtasks }, (_, s) => [
    { name: 'splits', mode: 'split' as const, elements: Array.from({ length: perSubtask }, (_, i) => `s${s}-${i}`) },
    { name: 'wm', mode: 'union' as const, elements: [s] },
  ]);
}

describe('operator-state format', () => {
  it('round-trips names, modes and elements', () => {
    expect(decodeOperatorState(encodeOperatorState(states))).toEqual(states);
    expect(decodeOperatorState(encodeOperatorState([]))).toEqual([]);
  });

  it('rejects duplicate names', () => {
    expect(() => encodeOperatorState([states[0]!, states[0]!])).toThrow(/appears twice/);
  });

  it('detects every single-bit flip, every truncation and appended bytes', () => {
    const bytes = encodeOperatorState(states);
    for (let i = 0; i < bytes.length; i++) {
      const damaged = bytes.slice();
      damaged[i]! ^= 0x10;
      expect(() => decodeOperatorState(damaged), `byte ${i}`).toThrow(CheckpointCorruptedError);
    }
    for (let n = 0; n < bytes.length; n++) expect(() => decodeOperatorState(bytes.subarray(0, n))).toThrow(CheckpointCorruptedError);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeOperatorState(longer)).toThrow(/trailing bytes/);
  });
});

describe('redistributeOperatorState', () => {
  it('1 -> 2 cuts split elements into contiguous ranges (as Flink) and copies union state', () => {
    const out = redistributeOperatorState(subtaskStates(1, 5), 2);
    expect(out).toEqual([
      [{ name: 'splits', mode: 'split', elements: ['s0-0', 's0-1', 's0-2'] }, { name: 'wm', mode: 'union', elements: [0] }],
      [{ name: 'splits', mode: 'split', elements: ['s0-3', 's0-4'] }, { name: 'wm', mode: 'union', elements: [0] }],
    ]);
  });

  it('3 -> 2 keeps each old subtask\'s elements together and in order where the ranges allow', () => {
    const out = redistributeOperatorState(subtaskStates(3, 2), 2);
    expect(out.map((t) => t[0]!.elements)).toEqual([
      ['s0-0', 's0-1', 's1-0'],
      ['s1-1', 's2-0', 's2-1'],
    ]);
  });

  it('rotates the subtasks that take the extra element of an uneven split from one state name to the next', () => {
    const states = (names: string[]): OperatorStateEntries[][] => [names.map((name) => ({ name, mode: 'split' as const, elements: [`${name}-a`] }))];
    const out = redistributeOperatorState(states(['x', 'y', 'z']), 3);
    // one element each: x to subtask 0, y to 1, z to 2 (not all to subtask 0)
    expect(out.map((t) => t.flatMap((s) => s.elements))).toEqual([['x-a'], ['y-a'], ['z-a']]);
  });

  it('2 -> 4 keeps every split element exactly once, balanced within one', () => {
    const input = subtaskStates(2, 3);
    const out = redistributeOperatorState(input, 4);
    expect(out).toHaveLength(4);
    const all = out.flatMap((t) => t.find((s) => s.name === 'splits')!.elements);
    expect(all.sort()).toEqual(input.flatMap((t) => t[0]!.elements).sort());
    const sizes = out.map((t) => t[0]!.elements.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const t of out) expect(t[1]).toEqual({ name: 'wm', mode: 'union', elements: [0, 1] });
  });

  it('4 -> 1 concatenates in subtask order; union state is the union of all subtasks', () => {
    const out = redistributeOperatorState(subtaskStates(4, 2), 1);
    expect(out).toEqual([
      [
        { name: 'splits', mode: 'split', elements: ['s0-0', 's0-1', 's1-0', 's1-1', 's2-0', 's2-1', 's3-0', 's3-1'] },
        { name: 'wm', mode: 'union', elements: [0, 1, 2, 3] },
      ],
    ]);
  });

  it('2 -> 2 gives every subtask its own split elements back (a reader resumes its own splits)', () => {
    const input = subtaskStates(2, 3);
    const out = redistributeOperatorState(input, 2);
    expect(out).toEqual([
      [{ name: 'splits', mode: 'split', elements: ['s0-0', 's0-1', 's0-2'] }, { name: 'wm', mode: 'union', elements: [0, 1] }],
      [{ name: 'splits', mode: 'split', elements: ['s1-0', 's1-1', 's1-2'] }, { name: 'wm', mode: 'union', elements: [0, 1] }],
    ]);
    // A subtask that had no elements of a name still gets the name.
    expect(redistributeOperatorState([[{ name: 'one', mode: 'split', elements: ['only'] }], []], 2)).toEqual([
      [{ name: 'one', mode: 'split', elements: ['only'] }],
      [{ name: 'one', mode: 'split', elements: [] }],
    ]);
  });

  it('gives every new subtask every state name, even with fewer elements than subtasks', () => {
    const out = redistributeOperatorState([[{ name: 'one', mode: 'split', elements: ['only'] }], []], 3);
    expect(out.map((t) => t.map((s) => s.elements))).toEqual([[['only']], [[]], [[]]]);
  });

  it('is deterministic and rejects conflicting modes and bad parallelism', () => {
    const input = subtaskStates(3, 4);
    expect(redistributeOperatorState(input, 2)).toEqual(redistributeOperatorState(input, 2));
    expect(() =>
      redistributeOperatorState([[{ name: 'x', mode: 'split', elements: [] }], [{ name: 'x', mode: 'union', elements: [] }]], 2),
    ).toThrow(/"split" in one subtask and "union" in another/);
    expect(() => redistributeOperatorState(input, 0)).toThrow(RangeError);
  });
});
