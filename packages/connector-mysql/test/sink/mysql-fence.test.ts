// The exactly-once sink's fence table (layout 2: one row per writer) against a real MariaDB 10.11, driven through
// the runtime's sink operator (SinkDriver): the table stays at one row per subtask however many checkpoints pass
// and across restores (the restored run's committers delete the old writers' rows); a committable committed twice,
// and a checkpoint restored twice, change nothing; restores at another parallelism — with two committables of one
// writer dealt to two committers — apply every batch exactly once; two sinks sharing the
// fence table do not touch each other's rows; two committers holding one writer's batches crosswise apply them in
// order; a fence table of layout 1 is migrated and its batches stay fenced; a
// foreign table under the fence's name is refused with a message. Append (key-less) tables make a batch applied
// twice visible as duplicate rows and a batch wrongly skipped as missing ones. The fence's rules alone are checked
// first, without a server.
import { row, RowKind, type Row, type Sink } from '@runnel/api';
import { SinkDriver } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlConnectorError } from '../../src/jdbc/mysql-errors.js';
import { mysqlCommittableSerializer, type MySqlCommittable } from '../../src/sink/mysql-committable.js';
import { MySqlCommitter } from '../../src/sink/mysql-committer.js';
import { fenceAdvance, fenceApplied, type FenceRow } from '../../src/sink/mysql-fence.js';
import { packValues } from '../../src/sink/packed-values.js';
import { MySqlSink } from '../../src/sink/mysql-sink.js';
import type { MySqlWriterState } from '../../src/sink/mysql-writer-state.js';
import type { MySqlSinkSettings } from '../../src/sink/mysql-sink-settings.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { settingsFor } from '../support/mysql-fixtures.js';

describe('fence rules', () => {
  it('applies a chain in order, and out of order exactly', () => {
    let r: FenceRow | undefined;
    expect(fenceApplied(r, 1)).toBe(false);
    r = fenceAdvance(r, 3, 0);
    expect(r).toEqual({ last: 3, ahead: [] });
    expect([1, 2, 3, 4].map((cp) => fenceApplied(r, cp))).toEqual([true, true, true, false]);
    // 7 (after 5) comes before 5 (after 3): noted ahead, then taken in once 5 is in.
    r = fenceAdvance(r, 7, 5);
    expect(r).toEqual({ last: 3, ahead: [{ checkpointId: 7, previous: 5 }] });
    expect([5, 6, 7].map((cp) => fenceApplied(r, cp))).toEqual([false, false, true]);
    r = fenceAdvance(r, 9, 7);
    r = fenceAdvance(r, 5, 3);
    expect(r).toEqual({ last: 9, ahead: [] });
    // Committables of before layout 2 (no predecessor): applied up to the highest.
    expect(fenceAdvance({ last: 4, ahead: [] }, 6, undefined)).toEqual({ last: 6, ahead: [] });
    expect(fenceAdvance(undefined, 6, undefined)).toEqual({ last: 6, ahead: [] });
  });
});

let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query('CREATE DATABASE f');
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

const BIG = { root: 'BIGINT', nullable: false } as const;
let tables = 0;

/** A key-less table (appends: a batch applied twice shows as duplicates) or one keyed by id. */
async function newTable(keyed: boolean): Promise<string> {
  const name = `t${++tables}`;
  await db.query(`CREATE TABLE f.${name} (id BIGINT ${keyed ? 'PRIMARY KEY' : 'NOT NULL'}, v BIGINT NOT NULL)`);
  return name;
}

function sink(table: string, keyed: boolean, extra: Partial<MySqlSinkSettings> = {}): MySqlSink {
  return new MySqlSink({
    connection: settingsFor(db, 'f'),
    table,
    columns: [
      { name: 'id', type: BIG },
      { name: 'v', type: BIG },
    ],
    primaryKey: keyed ? ['id'] : [],
    ...extra,
  });
}

const ins = (id: number, v: number): Row => row(RowKind.INSERT, [BigInt(id), BigInt(v)]);

/** The sink, recording the committables its writers hand over and the committers it makes. */
function recording(s: MySqlSink): { sink: Sink<Row, MySqlCommittable, MySqlWriterState>; committables: MySqlCommittable[]; committers: MySqlCommitter[] } {
  const committables: MySqlCommittable[] = [];
  const committers: MySqlCommitter[] = [];
  const spy: Sink<Row, MySqlCommittable, MySqlWriterState> = {
    committableSerializer: s.committableSerializer,
    writerStateSerializer: s.writerStateSerializer,
    createWriter(context, restored) {
      const w = s.createWriter(context, restored);
      const prepare = w.prepareCommit!.bind(w);
      w.prepareCommit = async (cp: number) => {
        const out = await prepare(cp);
        committables.push(...out);
        return out;
      };
      return w;
    },
    createCommitter() {
      const c = s.createCommitter!() as MySqlCommitter;
      committers.push(c);
      return c;
    },
  };
  return { sink: spy, committables, committers };
}

/** A committable as a restore reads it back from a checkpoint. */
const roundTrip = (c: MySqlCommittable): MySqlCommittable => mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(c), mysqlCommittableSerializer.version);

async function fenceRows(table: string, fence = 'runnel_sink_fence'): Promise<{ writer_id: string; subtask: number; checkpoint_id: number; applied_ahead: string | null }[]> {
  return await db.query(`SELECT writer_id, subtask, checkpoint_id, applied_ahead FROM f.\`${fence}\` WHERE sink_table = ? ORDER BY subtask, checkpoint_id`, [table]);
}

async function contents(table: string): Promise<string[]> {
  const rows = await db.query<{ id: number; v: number }>(`SELECT id, v FROM f.${table} ORDER BY id, v`);
  return rows.map((r) => `${r.id}=${r.v}`);
}

describe('fence table (layout 2)', () => {
  it('holds one row per subtask however many checkpoints pass, and after restores', async () => {
    const table = await newTable(true);
    const s = sink(table, true);
    const P = 3;
    const model = new Map<number, number>();
    let d = await SinkDriver.start<Row>(s, { parallelism: P });
    let snapshot = await d.checkpoint();
    let id = 0;
    const round = async (cp: number, idle: number): Promise<void> => {
      for (let sub = 0; sub < P; sub++) {
        if (sub === idle) continue; // one subtask sees no rows in some checkpoints: its writer hands over an empty committable
        const rows = [];
        for (let i = 0; i < 5; i++) {
          const key = (id++ % 40) * P + sub; // each key stays on one subtask, as the keyed shuffle does
          rows.push(ins(key, cp));
          model.set(key, cp);
        }
        await d.write(sub, rows);
      }
      snapshot = await d.checkpoint(cp);
      await d.complete(cp);
    };
    for (let cp = 1; cp <= 30; cp++) await round(cp, cp % 4 === 0 ? cp % P : -1);
    let rows = await fenceRows(table);
    expect(rows.map((r) => [r.subtask, r.applied_ahead])).toEqual([
      [0, null],
      [1, null],
      [2, null],
    ]);
    expect(rows.every((r) => r.checkpoint_id >= 29)).toBe(true);
    // Three restores of the latest checkpoint, each after a crash with more rows pre-committed but not completed.
    for (let restart = 0; restart < 3; restart++) {
      const old = rows.map((r) => r.writer_id);
      await d.write(0, [ins(9999, 1)]);
      await d.checkpoint(100 + restart * 10);
      await d.crash();
      d = await SinkDriver.start<Row>(s, { parallelism: P, restore: snapshot });
      // The replay skipped everything; the old writers' rows stay while a crash could replay them again ...
      expect((await fenceRows(table)).map((r) => r.writer_id)).toEqual(old);
      // ... and go once a checkpoint of the restored run completes.
      await round(101 + restart * 10, -1);
      rows = await fenceRows(table);
      expect(rows.length).toBe(P);
      expect(rows.filter((r) => old.includes(r.writer_id))).toEqual([]);
    }
    await d.close();
    expect(await contents(table)).toEqual([...model].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}=${v}`));
  });

  it('a run killed after its first checkpoint completed but before it committed hands the old writers on', async () => {
    const table = await newTable(false);
    const s = sink(table, false);
    const d = await SinkDriver.start<Row>(s, { parallelism: 2 });
    await d.write(0, [ins(1, 1)]);
    await d.write(1, [ins(2, 1)]);
    const cp1 = await d.checkpoint(1);
    await d.complete(1);
    await d.crash();
    const first = (await fenceRows(table)).map((r) => r.writer_id);
    expect(first.length).toBe(2);
    // Run 2 restores 1; its checkpoint 2 completes (the snapshot is what a restore reads) but it dies before the
    // commit. Its committables name run 1's writers (subtask 1 saw no rows: an empty one), so run 3, restoring 2,
    // deletes their rows as it replays them.
    const r2 = await SinkDriver.start<Row>(s, { parallelism: 2, restore: cp1 });
    await r2.write(0, [ins(3, 2)]);
    const cp2 = await r2.checkpoint(2);
    await r2.crash();
    expect(await fenceRows(table)).toHaveLength(2);
    const r3 = await SinkDriver.start<Row>(s, { parallelism: 2, restore: cp2 });
    let rows = await fenceRows(table);
    expect(rows.map((r) => [r.subtask, r.checkpoint_id])).toEqual([[0, 2]]);
    expect(first).not.toContain(rows[0]!.writer_id);
    // Run 2's subtask 0 row goes with run 3's first commit (run 3's subtask 0 sees no rows: an empty committable).
    await r3.write(1, [ins(4, 3)]);
    await r3.checkpoint(3);
    await r3.complete(3);
    rows = await fenceRows(table);
    expect(rows.map((r) => [r.subtask, r.checkpoint_id])).toEqual([[1, 3]]);
    await r3.close();
    expect(await contents(table)).toEqual(['1=1', '2=1', '3=2', '4=3']);
  });

  it('a committable committed twice, or a checkpoint restored twice, changes nothing', async () => {
    const table = await newTable(false);
    const rec = recording(sink(table, false));
    const s = rec.sink;
    const d = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await d.write(0, [ins(1, 1), ins(2, 1)]);
    await d.checkpoint(1);
    await d.complete(1);
    await d.write(0, [ins(3, 2)]);
    const cp2 = await d.checkpoint(2);
    await d.complete(2);
    await d.crash();
    expect(await contents(table)).toEqual(['1=1', '2=1', '3=2']);
    // The same committable, read back as from the checkpoint, committed twice by a fresh committer.
    const committable = roundTrip(rec.committables.find((c) => c.checkpointId === 2)!);
    expect(committable.previousCheckpointId).toBe(1);
    const committer = s.createCommitter!() as MySqlCommitter;
    await committer.commit([{ checkpointId: 2, committable }]);
    await committer.commit([{ checkpointId: 2, committable }]);
    await committer.close();
    expect(committer.stats).toEqual({ applied: 0, skipped: 2, appliedAhead: 0, writersRetired: 0 });
    // Restored twice (the first restored run crashing before its first checkpoint).
    for (let i = 0; i < 2; i++) {
      const r = await SinkDriver.start<Row>(s, { parallelism: 1, restore: cp2, attemptNumber: i + 1 });
      await r.crash();
    }
    expect(await contents(table)).toEqual(['1=1', '2=1', '3=2']);
    // A checkpoint that had not landed before the crash is applied by the restore, once.
    const d2 = await SinkDriver.start<Row>(s, { parallelism: 1, restore: cp2 });
    await d2.write(0, [ins(4, 3)]);
    const cp3 = await d2.checkpoint(3);
    await d2.crash();
    for (let i = 0; i < 2; i++) await (await SinkDriver.start<Row>(s, { parallelism: 1, restore: cp3 })).crash();
    expect(await contents(table)).toEqual(['1=1', '2=1', '3=2', '4=3']);
    // The first restore of checkpoint 3 also deleted the fence row of the writer before (its committable names it).
    expect(rec.committers.slice(-2).map((c) => c.stats)).toEqual([
      { applied: 1, skipped: 0, appliedAhead: 0, writersRetired: 1 },
      { applied: 0, skipped: 1, appliedAhead: 0, writersRetired: 0 },
    ]);
  });

  for (const [from, to] of [
    [2, 3],
    [3, 1],
  ] as const) {
    it(`restores at another parallelism (${from} -> ${to}), committables of one writer split, each batch applied once`, async () => {
      const table = await newTable(false);
      // SinkDriver opens its subtasks one after the other, so a committer waiting for a batch the next subtask holds
      // would wait in vain: it waits 200 ms, then applies its batch ahead (the runtime opens them together).
      const rec = recording(sink(table, false, { outOfOrderWaitMs: 200 }));
      const s = rec.sink;
      const expected: string[] = [];
      const d = await SinkDriver.start<Row>(s, { parallelism: from });
      const write = async (cp: number): Promise<void> => {
        for (let sub = 0; sub < from; sub++) {
          const rows = [ins(sub * 1000 + cp, cp), ins(sub * 1000 + cp + 500, cp)];
          await d.write(sub, rows);
          for (const r of rows) expected.push(`${r.fields[0]}=${r.fields[1]}`);
        }
      };
      await write(1);
      await d.checkpoint(1);
      await d.complete(1);
      // Checkpoint 2 is aborted (never completes), so checkpoint 3 holds two committables of every writer; only
      // subtask 0 commits them before the crash.
      await write(2);
      await d.checkpoint(2);
      await write(3);
      const cp3 = await d.checkpoint(3);
      await d.subtasks[0]!.notifyCheckpointComplete(3);
      await d.crash();
      expect(rec.committables.filter((c) => c.checkpointId >= 2).length).toBe(2 * from);
      const before = rec.committers.length;
      const r = await SinkDriver.start<Row>(s, { parallelism: to, restore: cp3 });
      expect((await contents(table)).sort()).toEqual([...expected].sort());
      // Subtask 0's two batches were found in the fence, the others' applied. Operator state is cut into contiguous
      // ranges (as Flink): 2 -> 3 gives writer 1's checkpoint 2 and 3 batches to committers 1 and 2, which open in
      // that order, so none is applied ahead (the next test deals them the other way round).
      const stats = rec.committers.slice(before).map((c) => c.stats);
      const sum = (k: 'applied' | 'skipped' | 'appliedAhead'): number => stats.reduce((n, x) => n + x[k], 0);
      expect([sum('applied'), sum('skipped'), sum('appliedAhead')]).toEqual([2 * (from - 1), 2, 0]);
      // The restored run goes on; the old writers' rows go once its first checkpoint completes.
      for (let sub = 0; sub < to; sub++) {
        await r.write(sub, [ins(90_000 + sub, 4)]);
        expected.push(`${90_000 + sub}=4`);
      }
      await r.checkpoint(4);
      await r.complete(4);
      await r.close();
      expect((await contents(table)).sort()).toEqual([...expected].sort());
      const rows = await fenceRows(table);
      expect(rows.map((x) => [x.subtask, x.checkpoint_id, x.applied_ahead])).toEqual(Array.from({ length: to }, (_, sub) => [sub, 4, null]));
    });
  }

  it('a committer holding only a writer\'s later batch applies it ahead after the wait, the earlier one later, each once', async () => {
    const table = await newTable(false);
    const rec = recording(sink(table, false, { outOfOrderWaitMs: 200 }));
    const d = await SinkDriver.start<Row>(rec.sink, { parallelism: 1 });
    for (const cp of [2, 3]) {
      await d.write(0, [ins(cp, cp)]);
      await d.checkpoint(cp);
    }
    await d.crash();
    const of = (cp: number): MySqlCommittable => roundTrip(rec.committables.find((c) => c.subtask === 0 && c.checkpointId === cp)!);
    const a = rec.sink.createCommitter!() as MySqlCommitter;
    await a.commit([{ checkpointId: 3, committable: of(3) }]); // nobody holds checkpoint 2 yet: waits 200 ms, applies ahead
    const b = rec.sink.createCommitter!() as MySqlCommitter;
    await b.commit([{ checkpointId: 2, committable: of(2) }]);
    // a replay of both (a restore from the same checkpoint) changes nothing
    const c = rec.sink.createCommitter!() as MySqlCommitter;
    await c.commit([
      { checkpointId: 2, committable: of(2) },
      { checkpointId: 3, committable: of(3) },
    ]);
    for (const x of [a, b, c]) await x.close();
    expect((await contents(table)).sort()).toEqual(['2=2', '3=3']);
    expect([a.stats, b.stats, c.stats].map((x) => [x.applied, x.appliedAhead, x.skipped])).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [0, 0, 2],
    ]);
    expect((await fenceRows(table)).map((r) => [r.subtask, r.checkpoint_id, r.applied_ahead])).toEqual([[0, 3, null]]);
  });

  it('two committers holding batches of one writer crosswise apply them in order', async () => {
    const table = await newTable(true);
    const rec = recording(sink(table, true));
    const d = await SinkDriver.start<Row>(rec.sink, { parallelism: 2 });
    // Both writers change the same keys of their own in checkpoints 2 (aborted) and 3: the later values must win.
    for (const cp of [2, 3]) {
      for (let sub = 0; sub < 2; sub++) await d.write(sub, [ins(sub * 10 + 1, cp), ins(sub * 10 + 2, cp)]);
      await d.checkpoint(cp);
    }
    await d.crash();
    const of = (sub: number, cp: number): MySqlCommittable => roundTrip(rec.committables.find((c) => c.subtask === sub && c.checkpointId === cp)!);
    expect(of(0, 3).previousCheckpointId).toBe(2);
    const a = rec.sink.createCommitter!() as MySqlCommitter;
    const b = rec.sink.createCommitter!() as MySqlCommitter;
    // As a restore at another parallelism can deal them: each committer gets one writer's later batch first.
    await Promise.all([
      a.commit([
        { checkpointId: 3, committable: of(0, 3) },
        { checkpointId: 2, committable: of(1, 2) },
      ]),
      b.commit([
        { checkpointId: 3, committable: of(1, 3) },
        { checkpointId: 2, committable: of(0, 2) },
      ]),
    ]);
    await a.close();
    await b.close();
    expect(await contents(table)).toEqual(['1=3', '2=3', '11=3', '12=3']);
    expect([a.stats, b.stats].map((x) => [x.applied, x.appliedAhead])).toEqual([
      [2, 0],
      [2, 0],
    ]);
    expect((await fenceRows(table)).map((r) => [r.subtask, r.checkpoint_id, r.applied_ahead])).toEqual([
      [0, 3, null],
      [1, 3, null],
    ]);
  });

  it('two sinks sharing the fence table (one table, two jobs) leave each other alone', async () => {
    const table = await newTable(false);
    const a = sink(table, false);
    const b = sink(table, false);
    const da = await SinkDriver.start<Row>(a, { parallelism: 2 });
    const db2 = await SinkDriver.start<Row>(b, { parallelism: 2 });
    await da.write(0, [ins(1, 1)]);
    await da.write(1, [ins(2, 1)]);
    await db2.write(0, [ins(101, 1)]);
    await db2.write(1, [ins(102, 1)]);
    // Both start their checkpoint ids at 1: the fence must not mistake one's for the other's.
    const a1 = await da.checkpoint(1);
    const b1 = await db2.checkpoint(1);
    await da.complete(1);
    await db2.complete(1);
    const before = (await fenceRows(table)).map((r) => r.writer_id);
    expect(before.length).toBe(4);
    await da.crash();
    const ra = await SinkDriver.start<Row>(a, { parallelism: 2, restore: a1 });
    await ra.write(0, [ins(3, 2)]);
    await ra.checkpoint(2);
    await ra.complete(2);
    // A's old writers are gone (A's new subtask 1 saw no rows, so A has one row now), B's writers stay (B may still
    // replay its checkpoint 1).
    const after = await fenceRows(table);
    expect(after.length).toBe(3);
    expect(after.filter((r) => before.includes(r.writer_id)).length).toBe(2);
    expect(after.filter((r) => !before.includes(r.writer_id)).map((r) => r.checkpoint_id)).toEqual([2]);
    await db2.crash();
    const rb = await SinkDriver.start<Row>(b, { parallelism: 2, restore: b1 });
    await rb.close();
    await ra.close();
    expect(await contents(table)).toEqual(['1=1', '2=1', '3=2', '101=1', '102=1']);
  });

  it('migrates a fence table of layout 1, whose batches stay fenced', async () => {
    const table = await newTable(false);
    const fence = 'fence_v1';
    // Layout 1 as the first exactly-once sink created and filled it: a row per applied batch.
    await db.query(
      `CREATE TABLE f.${fence} (batch_id VARCHAR(100) CHARACTER SET ascii NOT NULL PRIMARY KEY, sink_table VARCHAR(255) NOT NULL, subtask INT NOT NULL, ` +
        'checkpoint_id BIGINT NOT NULL, rows_applied BIGINT NOT NULL, committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB',
    );
    await db.query(
      `INSERT INTO f.${fence} (batch_id, sink_table, subtask, checkpoint_id, rows_applied) VALUES ('w1:1', ?, 0, 1, 1), ('w1:2', ?, 0, 2, 1), ('w2:7', 'other', 1, 7, 1)`,
      [table, table],
    );
    await db.query(`INSERT INTO f.${table} VALUES (1, 1), (2, 2)`);
    const s = sink(table, false, { fenceTable: fence });
    // Committables of checkpoints taken before (as serializer version 2 reads them: no fence checkpoints) of writer
    // w1 at checkpoints 2 (landed) and 3 (did not), each inserting (cp, cp).
    const old = (cp: number): MySqlCommittable => ({
      batchId: `w1:${cp}`,
      subtask: 0,
      checkpointId: cp,
      width: 2,
      keyWidth: 0,
      rowCount: 1,
      deleteCount: 0,
      rows: packValues([String(cp), String(cp)]),
      deletes: packValues([]),
    });
    const c2 = old(2);
    const c3 = old(3);
    const committer = new MySqlCommitter(s.settings as MySqlSinkSettings<unknown>);
    await committer.commit([
      { checkpointId: 2, committable: c2 },
      { checkpointId: 3, committable: c3 },
    ]);
    await committer.close();
    expect(committer.stats).toMatchObject({ applied: 1, skipped: 1 });
    expect(committer.migratedFrom).toMatch(/^runnel_fence_layout1_/);
    expect(await contents(table)).toEqual(['1=1', '2=2', '3=3']);
    expect(await db.query(`SELECT writer_id, checkpoint_id FROM f.${fence} ORDER BY writer_id`)).toEqual([
      { writer_id: 'w1', checkpoint_id: 3 },
      { writer_id: 'w2', checkpoint_id: 7 },
    ]);
    const [kept] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM f.\`${committer.migratedFrom!}\``);
    expect(Number(kept!.n)).toBe(3);
    // A second committer finds layout 2 and migrates nothing.
    const again = new MySqlCommitter(s.settings as MySqlSinkSettings<unknown>);
    await again.commit([{ checkpointId: 3, committable: c3 }]);
    await again.close();
    expect(again.migratedFrom).toBeUndefined();
    expect(again.stats.skipped).toBe(1);
  });

  it('refuses a table under the fence name that is not a fence table, saying what to do', async () => {
    const table = await newTable(false);
    await db.query('CREATE TABLE f.not_a_fence (a INT)');
    const s = sink(table, false, { fenceTable: 'not_a_fence' });
    const d = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await d.write(0, [ins(1, 1)]);
    await d.checkpoint(1);
    const err = await d.complete(1).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MySqlConnectorError);
    expect((err as MySqlConnectorError).kind).toBe('configuration');
    expect((err as Error).message).toMatch(/not a Runnel fence table.*sink\.fence-table/);
    await d.close().catch(() => undefined);
    expect(await contents(table)).toEqual([]);
  });
});

