// ChangelogNormalize: an upsert changelog (by key, no -U, -D with only the key) becomes a full changelog.
import { describe, expect, it } from 'vitest';
import { keyedProcessFunctionHarness } from '@runnel/testing';
import { RowKind, type Row } from '@runnel/api/table';
import { ChangelogNormalizeFunction } from '../../src/runtime/changelog-normalize-function.js';

const r = (kind: RowKind, ...fields: unknown[]): Row => ({ kind, fields });

describe('ChangelogNormalizeFunction', () => {
  it('emits -U/+U for a known key, +I for a new one, full -D rows, nothing for an equal upsert or an unknown delete', async () => {
    const h = await keyedProcessFunctionHarness(new ChangelogNormalizeFunction(undefined), (row: Row) => row.fields[0]);
    await h.processElements([
      r(RowKind.UPDATE_AFTER, 1, 'a'),
      r(RowKind.UPDATE_AFTER, 2, 'b'),
      r(RowKind.UPDATE_AFTER, 1, 'c'),
      r(RowKind.UPDATE_AFTER, 1, 'c'),
      r(RowKind.DELETE, 2, null),
      r(RowKind.DELETE, 3, null),
      r(RowKind.INSERT, 2, 'd'),
    ]);
    expect(h.output().map((x) => [x.kind, ...x.fields])).toEqual([
      [RowKind.INSERT, 1, 'a'],
      [RowKind.INSERT, 2, 'b'],
      [RowKind.UPDATE_BEFORE, 1, 'a'],
      [RowKind.UPDATE_AFTER, 1, 'c'],
      [RowKind.DELETE, 2, 'b'],
      [RowKind.INSERT, 2, 'd'],
    ]);
  });

  it('keeps the last rows across a snapshot and restore', async () => {
    const h = await keyedProcessFunctionHarness(new ChangelogNormalizeFunction(undefined), (row: Row) => row.fields[0]);
    await h.processElement(r(RowKind.UPDATE_AFTER, 1, 'a'));
    const snapshot = await h.snapshot(1);
    const h2 = await keyedProcessFunctionHarness(new ChangelogNormalizeFunction(undefined), (row: Row) => row.fields[0], { restore: snapshot });
    await h2.processElement(r(RowKind.UPDATE_AFTER, 1, 'b'));
    expect(h2.output().map((x) => [x.kind, ...x.fields])).toEqual([
      [RowKind.UPDATE_BEFORE, 1, 'a'],
      [RowKind.UPDATE_AFTER, 1, 'b'],
    ]);
  });
});
