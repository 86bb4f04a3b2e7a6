import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALL_KINDS, INSERT_ONLY, RowKind, rowKindShortString, type Row, type RowType, type TableSink } from '@runnel/api/table';
import type { Sink, SinkWriter } from '@runnel/api/connector';
import { filesystemConnectorFactory } from '../../src/filesystem-factory.js';
import type { FileSinkCommittable, FileSinkWriterState } from '../../src/file-sink-state.js';
import type { FileSystemTableSink } from '../../src/table/filesystem-table-sink.js';
import { recordContext, runFileSource, writerContext } from './drivers.js';
import { BIGINT, STRING, columns, jsonEncoder, tableContext, type FormatHooks } from './table-context.js';

const PHYSICAL = columns({ id: BIGINT, name: STRING });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runnel-fs-table-sink-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const create = (options: Record<string, string>, hooks: FormatHooks = {}): TableSink =>
  filesystemConnectorFactory.createTableSink!(tableContext('out', PHYSICAL, { path: dir, format: 'json', ...options }, hooks));

type RowSink = Sink<Row, FileSinkCommittable, FileSinkWriterState>;
const sinkOf = (table: TableSink, type: RowType = PHYSICAL): RowSink =>
  table.createSink({ consumedType: type, metadataKeys: [], changelogMode: INSERT_ONLY }) as RowSink;

const insert = (id: bigint, name: string): Row => ({ kind: RowKind.INSERT, fields: [id, name] });

/** Visible (committed) files of the directory. */
const visible = async (): Promise<string[]> => (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();

/** The barrier of checkpoint `cp`: flush, pre-commit; returns the committables. */
async function barrier(writer: SinkWriter<Row, FileSinkCommittable, FileSinkWriterState>, cp: number): Promise<FileSinkCommittable[]> {
  await writer.flush(false);
  return writer.prepareCommit!(cp);
}

describe('filesystem table sink', () => {
  it('writes one encoded line per row, visible only when the checkpoint commits; the source reads them back', async () => {
    const table = create({});
    expect(table.summary()).toBe(`Filesystem(path=${dir}, format=json)`);
    const sink = sinkOf(table);
    const writer = sink.createWriter(writerContext());
    writer.write(insert(1n, 'a'), recordContext);
    writer.write(insert(9007199254740993n, 'b'), recordContext);
    const committables = await barrier(writer, 1);
    expect(await visible()).toEqual([]);
    const committer = sink.createCommitter!();
    await committer.commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    expect(await visible()).toEqual(['part-0-1-0.json']);
    expect(await readFile(join(dir, 'part-0-1-0.json'), 'utf8')).toBe('{"id":1,"name":"a"}\n{"id":"9007199254740993","name":"b"}\n');
    // A re-commit after a restore is a no-op.
    await committer.commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    await writer.close();
    await committer.close();
    const source = filesystemConnectorFactory.createTableSource!(tableContext('out', PHYSICAL, { path: dir, format: 'json' }));
    const rows = await runFileSource(source.createSource({ physicalType: PHYSICAL, metadataKeys: [] }));
    expect(rows).toEqual([insert(1n, 'a'), insert(9007199254740993n, 'b')]);
  });

  it("accepts the changelog its format writes: every kind for a changelog format, written through the encoder", async () => {
    // A changelog encoder in the manner of debezium-json: one event per row, whatever its kind.
    const hooks: FormatHooks = {
      encoder: (type) => ({ changelogMode: ALL_KINDS, encode: (row) => `{"op":"${rowKindShortString(row.kind)}","row":${jsonEncoder(type).encode(row) as string}}` }),
    };
    const table = create({}, hooks);
    expect(table.changelogMode(ALL_KINDS)).toEqual(ALL_KINDS);
    expect(table.changelogMode(INSERT_ONLY)).toEqual(ALL_KINDS);
    const sink = table.createSink({ consumedType: PHYSICAL, metadataKeys: [], changelogMode: ALL_KINDS }) as RowSink;
    const writer = sink.createWriter(writerContext());
    writer.write(insert(1n, 'a'), recordContext);
    writer.write({ kind: RowKind.UPDATE_BEFORE, fields: [1n, 'a'] }, recordContext);
    writer.write({ kind: RowKind.UPDATE_AFTER, fields: [1n, 'b'] }, recordContext);
    writer.write({ kind: RowKind.DELETE, fields: [1n, 'b'] }, recordContext);
    const committables = await barrier(writer, 1);
    await sink.createCommitter!().commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    expect(await readFile(join(dir, 'part-0-1-0.json'), 'utf8')).toBe(
      ['+I', '-U', '+U', '-D'].map((op, i) => `{"op":"${op}","row":{"id":1,"name":"${i < 2 ? 'a' : 'b'}"}}\n`).join(''),
    );
    await writer.close();
    // A format that writes some kinds only (an upsert-like one): the planner is told so, and another kind fails.
    const upsert = { kinds: [RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE] };
    const partial = create({}, { encoder: (type) => ({ changelogMode: upsert, encode: (row) => jsonEncoder(type).encode(row) }) });
    expect(partial.changelogMode(ALL_KINDS)).toEqual(upsert);
    const w = sinkOf(partial).createWriter(writerContext());
    expect(() => w.write({ kind: RowKind.UPDATE_BEFORE, fields: [1n, 'a'] }, recordContext)).toThrow("filesystem table 'out': format 'json' cannot write a -U row");
    await w.close();
  });

  it('accepts inserts only with a format that declares no changelog: the planner is told so, and a row of another kind fails the write', async () => {
    const table = create({});
    expect(table.changelogMode(ALL_KINDS)).toEqual(INSERT_ONLY);
    const writer = sinkOf(table).createWriter(writerContext());
    expect(() => writer.write({ kind: RowKind.UPDATE_AFTER, fields: [1n, 'a'] }, recordContext)).toThrow(
      "filesystem table 'out': files take inserts only, got a +U row",
    );
    await writer.close();
  });

  it('rolls by size and by age (rollover-interval, checked every check-interval); each file is committed with its checkpoint', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const sink = sinkOf(create({ 'sink.rolling-policy.rollover-interval': '1 s', 'sink.rolling-policy.check-interval': '100 ms' }));
    const writer = sink.createWriter(writerContext());
    writer.write(insert(1n, 'a'), recordContext);
    vi.advanceTimersByTime(500);
    writer.write(insert(2n, 'b'), recordContext);
    vi.advanceTimersByTime(600); // the file is now 1.1 s old: rolled
    writer.write(insert(3n, 'c'), recordContext);
    const committables = await barrier(writer, 1);
    expect(committables.map((c) => c.finalName)).toEqual(['part-0-1-0.json', 'part-0-1-1.json']);
    await sink.createCommitter!().commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    expect(await readFile(join(dir, 'part-0-1-0.json'), 'utf8')).toBe('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n');
    expect(await readFile(join(dir, 'part-0-1-1.json'), 'utf8')).toBe('{"id":3,"name":"c"}\n');
    await writer.close();
    vi.useRealTimers();

    const bySize = sinkOf(create({ 'sink.rolling-policy.file-size': '1 b' })).createWriter(writerContext());
    for (const r of [insert(1n, 'a'), insert(2n, 'b'), insert(3n, 'c')]) bySize.write(r, recordContext);
    expect((await barrier(bySize, 1)).length).toBe(3);
    await bySize.close();
  });

  it('writes what the encoder gives, text or bytes, dropping one trailing newline', async () => {
    const hooks: FormatHooks = {
      encoder: (type) => ({ encode: (row) => new TextEncoder().encode(`${jsonEncoder(type).encode(row) as string}\r\n`) }),
    };
    const sink = sinkOf(create({ 'file-name.prefix': 'orders' }, hooks));
    const writer = sink.createWriter(writerContext(1, 2));
    writer.write(insert(1n, 'é'), recordContext);
    writer.write(insert(2n, 'b'), recordContext);
    await writer.flush(true);
    const committables = await writer.prepareCommit!(Number.MAX_SAFE_INTEGER);
    await sink.createCommitter!().commit(committables.map((committable) => ({ checkpointId: Number.MAX_SAFE_INTEGER, committable })));
    expect(await visible()).toEqual(['orders-1-end-0.json']);
    expect(await readFile(join(dir, 'orders-1-end-0.json'), 'utf8')).toBe('{"id":1,"name":"é"}\n{"id":2,"name":"b"}\n');
    await writer.close();
  });

  describe('options', () => {
    it('reads Flink\'s rolling options with their defaults, sink.parallelism, and accepts the source options of the same table', () => {
      const table = create({ 'sink.parallelism': '3', 'source.monitor-interval': '1 s', 'json.encode.decimal-as-plain-number': 'true' }) as FileSystemTableSink;
      expect(table.parallelism).toBe(3);
      const options = (sinkOf(table) as unknown as { options: Record<string, unknown> }).options;
      expect(options).toMatchObject({
        path: dir,
        rollingFileSize: 128 * 1024 * 1024,
        rolloverIntervalMs: 30 * 60_000,
        rolloverCheckIntervalMs: 60_000,
        fileNamePrefix: 'part',
        partSuffix: '.json',
      });
      expect((create({}) as FileSystemTableSink).parallelism).toBeUndefined();
    });

    it('rejects bad values, unknown and unsupported keys, and metadata naming the table', () => {
      expect(() => create({ 'sink.rolling-policy.rollover-interval': '0 s' })).toThrow(
        "filesystem table 'out': option 'sink.rolling-policy.rollover-interval': '0 s' is out of range (expected at least 1 ms)",
      );
      expect(() => create({ 'sink.rolling-policy.file-sise': '1 mb' })).toThrow(
        "filesystem table 'out': unknown option 'sink.rolling-policy.file-sise' (did you mean 'sink.rolling-policy.file-size'?)",
      );
      expect(() => create({ 'sink.partition-commit.delay': '1 h' })).toThrow(
        "filesystem table 'out': not supported: option 'sink.partition-commit.delay' (partitioned tables (PARTITIONED BY))",
      );
      expect(() => create({ 'sink.rolling-policy.inactivity-interval': '1 min' })).toThrow("not supported: option 'sink.rolling-policy.inactivity-interval'");
      expect(() => create({ 'sink.parallelism': '0' })).toThrow("filesystem table 'out': option 'sink.parallelism': '0' is out of range (expected at least 1)");
      expect(() => create({}).createSink({ consumedType: PHYSICAL, metadataKeys: ['file.path'], changelogMode: INSERT_ONLY })).toThrow(
        "filesystem table 'out': no writable metadata (asked for file.path)",
      );
    });
  });
});
