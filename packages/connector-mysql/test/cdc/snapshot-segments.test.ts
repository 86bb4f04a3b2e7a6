// Which binlog changes the binlog reader emits, by snapshot segment (binlog-stream.ts `afterSnapshot`): a change of a
// key is emitted only when its transaction comes after the position of the segment holding that key. Regression of
// the hand-off test's seed 37 (a -U of a change the snapshot row already held): a chunk resumed after a checkpoint
// that had recorded every one of its keys finished with an empty segment `[end, end)`; that segment starts where
// the next chunk starts, and when the next chunk's report came first it won the lookup for all of the next chunk's
// keys, so their changes before that chunk's snapshot were emitted again.
import { describe, expect, it } from 'vitest';
import { afterSnapshot, tableRuntime } from '../../src/cdc/binlog-stream.js';
import type { CapturedTable } from '../../src/cdc/captured-table.js';
import type { SnapshotSegment } from '../../src/cdc/mysql-cdc-split.js';

const table: CapturedTable = {
  database: 'shop',
  table: 'orders',
  columns: [
    { name: 'id', dataType: 'bigint', columnType: 'bigint(20)', nullable: false },
    { name: 'v', dataType: 'int', columnType: 'int(11)', nullable: false },
  ],
  primaryKey: ['id'],
  chunkKey: 'id',
};
const at = (pos: number): { file: string; pos: number } => ({ file: 'binlog.000001', pos });
const seg = (lo: string | null, hi: string | null, pos: number): SnapshotSegment => ({ lo, hi, high: at(pos) });

describe('snapshot segments of the binlog filter', () => {
  // Chunk [2306, 2562) read at 151 190 and resumed with nothing left at 762 483 (the empty segment); the next chunk
  // [2562, 2818) read at 762 483; the last chunk at 900 000.
  const base = [seg('2050', '2306', 151_190), seg('2306', '2562', 151_190)];
  const next = seg('2562', '2818', 762_483);
  const empty = seg('2562', '2562', 762_483);
  const last = seg('2818', null, 900_000);

  for (const [name, order] of [
    ['the empty segment reported first', [...base, empty, next, last]],
    ['the next chunk reported first', [...base, next, empty, last]],
  ] as const) {
    it(`${name}: a key's changes before its own segment's position are skipped, later ones emitted`, () => {
      const rt = tableRuntime(table, order);
      for (const key of [2562n, 2600n, 2817n]) {
        expect(afterSnapshot(rt, [key, 1], at(224_592)), `key ${key} before its snapshot`).toBe(false);
        expect(afterSnapshot(rt, [key, 1], at(762_807)), `key ${key} after its snapshot`).toBe(true);
      }
      // Keys of the neighbours follow their own segments.
      expect(afterSnapshot(rt, [2561n, 1], at(151_000))).toBe(false);
      expect(afterSnapshot(rt, [2561n, 1], at(224_592))).toBe(true);
      expect(afterSnapshot(rt, [2818n, 1], at(800_000))).toBe(false);
      expect(afterSnapshot(rt, [10_002_562n, 1], at(900_001))).toBe(true);
    });
  }

  it('a chunk resumed in several segments: each key follows the position of the snapshot it was read in', () => {
    const rt = tableRuntime(table, [seg(null, '100', 50), seg('100', '180', 70), seg('180', '250', 90), seg('250', null, 60)]);
    const cases: [bigint, number, boolean][] = [
      [5n, 49, false],
      [5n, 51, true],
      [100n, 69, false],
      [179n, 71, true],
      [180n, 89, false],
      [249n, 91, true],
      [250n, 59, false],
      [99_999n, 61, true],
    ];
    for (const [key, pos, emitted] of cases) expect(afterSnapshot(rt, [key, 0], at(pos)), `key ${key} at ${pos}`).toBe(emitted);
  });
});
