import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_KINDS, DeadLetter, FormatError, RowKind, rowType, type Row, type RowType, type TableSource } from '@runnel/api/table';
import { filesystemConnectorFactory } from '../../src/filesystem-factory.js';
import { fileSplitOf, type FileSplit } from '../../src/file-split.js';
import type { FileSource } from '../../src/file-source.js';
import { RecordingOutput, readToEnd, readerContext, runFileSource } from './drivers.js';
import { BIGINT, STRING, columns, jsonDecoder, tableContext, t, type FormatHooks } from './table-context.js';

const PHYSICAL = columns({ id: BIGINT, name: STRING });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runnel-fs-table-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const create = (options: Record<string, string>, hooks: FormatHooks = {}, physical: RowType = PHYSICAL): TableSource =>
  filesystemConnectorFactory.createTableSource!(tableContext('orders', physical, options, hooks));

const scanOf = (source: TableSource, physicalType: RowType = PHYSICAL, metadataKeys: string[] = []) =>
  source.createSource({ physicalType, metadataKeys }) as FileSource<Row | DeadLetter>;

describe('filesystem table source', () => {
  it('reads a directory through the format, skipping blank lines, in file order', async () => {
    await writeFile(join(dir, 'a.json'), '{"id": 1, "name": "x"}\n\n{"id": 2, "name": "y"}\r\n');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'b.json'), '{"id": "9007199254740993", "name": null}');
    await writeFile(join(dir, '.hidden.json'), '{"id": 3}\n');
    const source = create({ path: dir, format: 'json' });
    expect(source.bounded).toBe(true);
    expect(source.changelogMode.kinds).toEqual([RowKind.INSERT]);
    expect(source.summary()).toBe(`Filesystem(path=${dir}, format=json)`);
    const rows = await runFileSource(scanOf(source));
    expect(rows).toEqual([
      { kind: RowKind.INSERT, fields: [1n, 'x'] },
      { kind: RowKind.INSERT, fields: [2n, 'y'] },
      { kind: RowKind.INSERT, fields: [9007199254740993n, null] },
    ]);
  });

  it('produces the requested columns in the requested order, then the requested metadata', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, '{"id": 1, "name": "x"}\n{"id": 2, "name": "y"}\n');
    const source = create({ path: dir, format: 'json' });
    expect(Object.keys(source.readableMetadata!)).toEqual(['file.path', 'file.name', 'file.size', 'file.modification-time']);
    const projected = rowType([{ name: 'name', type: STRING }]);
    const rows = (await runFileSource(scanOf(source, projected, ['file.name', 'file.path', 'file.size', 'file.modification-time']))) as Row[];
    const s = await stat(file);
    expect(rows.map((r) => r.fields)).toEqual([
      ['x', 'a.json', file, BigInt(s.size), Math.floor(s.mtimeMs)],
      ['y', 'a.json', file, BigInt(s.size), Math.floor(s.mtimeMs)],
    ]);
    expect(() => scanOf(source, projected, ['offset'])).toThrow(
      "filesystem table 'orders': no metadata 'offset'; the filesystem connector has file.path, file.name, file.size, file.modification-time",
    );
    expect(() => scanOf(source, rowType([{ name: 'nmae', type: STRING }]))).toThrow("filesystem table 'orders': no physical column 'nmae' (did you mean 'name'?)");
  });

  it('gives the decoder each line with its file and 1-based line number, so an error says file:line', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"id": 1}\n\n{"id": 2}\nboom\n{"id": 4}\n');
    // A fake format that throws for one line, at the position the source gave it.
    const seen: string[] = [];
    const hooks: FormatHooks = {
      decoder: (type) => {
        const json = jsonDecoder(type);
        return {
          changelogMode: json.changelogMode,
          decode(message, emit, source, offset) {
            seen.push(`${source}:${String(offset)}`);
            if (message === 'boom') throw new FormatError('cannot decode the line').at(`${source}:${String(offset)}`);
            json.decode(message, emit, source, offset);
          },
        };
      },
    };
    const reader = scanOf(create({ path: file, format: 'json' }, hooks)).createReader(readerContext());
    reader.addSplits([fileSplitOf(file)]);
    reader.notifyNoMoreSplits();
    const out = new RecordingOutput<Row | DeadLetter>();
    await expect(readToEnd(reader, out)).rejects.toThrow(`cannot decode the line (at ${file}:4)`);
    expect(seen).toEqual([`${file}:1`, `${file}:3`, `${file}:4`]);
    expect(out.records).toEqual([{ kind: RowKind.INSERT, fields: [1n, null] }, { kind: RowKind.INSERT, fields: [2n, null] }]);
    // The failure stays: the reader does not skip past the bad line.
    expect(() => reader.pollNext(out)).toThrow(`(at ${file}:4)`);
    await reader.close();
  });

  it('passes dead letters through as they come from the decoder', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, '{"id": 1, "name": "x"}\nnot json\n{"id": 3, "name": "z"}\n');
    const rows = await runFileSource(scanOf(create({ path: file, format: 'json' }, { policy: 'dead-letter' }), PHYSICAL, ['file.name']));
    expect(rows.length).toBe(3);
    expect(rows[0]).toEqual({ kind: RowKind.INSERT, fields: [1n, 'x', 'a.json'] });
    const dead = rows[1] as DeadLetter;
    expect(dead).toBeInstanceOf(DeadLetter);
    expect([dead.position, dead.raw]).toEqual([`${file}:2`, 'not json']);
    expect(dead.error).toMatch(/^malformed JSON: /);
    expect(rows[2]).toEqual({ kind: RowKind.INSERT, fields: [3n, 'z', 'a.json'] });
    const skipped = await runFileSource(scanOf(create({ path: file, format: 'json' }, { policy: 'skip' })));
    expect(skipped.length).toBe(2);
  });

  it('checkpoints its position: a restored reader continues after the last decoded line', async () => {
    const file = join(dir, 'many.json');
    await writeFile(file, Array.from({ length: 3000 }, (_, i) => `{"id": ${i}}`).join('\n') + '\n');
    const source = scanOf(create({ path: file, format: 'json' }));
    const reader = source.createReader(readerContext());
    reader.addSplits([fileSplitOf(file)]);
    reader.notifyNoMoreSplits();
    const first = new RecordingOutput<Row | DeadLetter>();
    while (first.records.length === 0) {
      if (reader.pollNext(first) === 'nothing-available') await reader.isAvailable();
    }
    const state = reader.snapshotState(1).map((s) => source.splitSerializer.deserialize(source.splitSerializer.serialize(s), 1));
    await reader.close();
    expect(state).toEqual([{ splitId: file, path: file, offset: expect.any(Number) as number, line: first.records.length + 1 }]);
    const again = source.createReader(readerContext());
    again.addSplits(state as FileSplit[]);
    again.notifyNoMoreSplits();
    const rest = new RecordingOutput<Row | DeadLetter>();
    await readToEnd(again, rest);
    await again.close();
    const ids = [...first.records, ...rest.records].map((r) => (r as Row).fields[0]);
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => BigInt(i)));
  });

  it('monitors a directory when source.monitor-interval is set; the changelog is the format\'s', () => {
    const source = create({ path: dir, format: 'json', 'source.monitor-interval': '10 s' }, { decoder: (type) => jsonDecoder(type, 'fail', ALL_KINDS) });
    expect(source.bounded).toBe(false);
    expect(source.changelogMode).toBe(ALL_KINDS);
    expect(scanOf(source).boundedness).toBe('continuous-unbounded');
    expect(source.summary()).toBe(`Filesystem(path=${dir}, format=json, source.monitor-interval=10000 ms)`);
  });

  describe('options', () => {
    it('leaves the format its own options, and accepts the sink options of the same table', () => {
      expect(create({ path: dir, format: 'json', 'json.fail-on-missing-field': 'true', 'sink.parallelism': '2', 'sink.rolling-policy.file-size': '1 mb' }).bounded).toBe(true);
    });

    it('rejects unknown keys with the closest one, keys of another format, and Flink options Runnel has not', () => {
      expect(() => create({ path: dir, format: 'json', 'source.monitor-intervall': '1 s' })).toThrow(
        "filesystem table 'orders': unknown option 'source.monitor-intervall' (did you mean 'source.monitor-interval'?); valid options: path, format, ",
      );
      expect(() => create({ path: dir, format: 'json', 'csv.field-delimiter': ';' })).toThrow("filesystem table 'orders': unknown option 'csv.field-delimiter'");
      expect(() => create({ path: dir, format: 'json', 'auto-compaction': 'true' })).toThrow(
        "filesystem table 'orders': not supported: option 'auto-compaction' (file compaction)",
      );
      expect(() => create({ path: dir, format: 'json', 'partition.default-name': 'x' })).toThrow(
        "filesystem table 'orders': not supported: option 'partition.default-name' (partitioned tables (PARTITIONED BY))",
      );
    });

    it('requires path and format, and a format the context knows', () => {
      expect(() => create({ format: 'json' })).toThrow("filesystem table 'orders': option 'path' is required");
      expect(() => create({ path: dir })).toThrow("filesystem table 'orders': option 'format' is required");
      expect(() => create({ path: dir, format: 'parquet' })).toThrow("no format 'parquet'");
      expect(() => create({ path: '', format: 'json' })).toThrow("filesystem table 'orders': option 'path' must not be empty");
      expect(() => create({ path: dir, format: 'json', 'source.monitor-interval': 'soon' })).toThrow(
        "filesystem table 'orders': option 'source.monitor-interval': 'soon' is not a duration",
      );
    });

    it('reads the columns the format can decode (any physical type)', () => {
      expect(create({ path: dir, format: 'json' }, {}, columns({ d: t('DATE'), m: t('MAP', { key: STRING, element: BIGINT }) })).bounded).toBe(true);
    });
  });
});
