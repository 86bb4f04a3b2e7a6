// Shared pieces of the mysql-cdc tests: the three source tables (two with integer keys, split into chunks, one with
// a VARCHAR key, read as one chunk), a seeded writer that inserts, updates (also moving keys between chunks) and
// deletes in small transactions while the source runs, an oracle that reads the tables as text straight from the
// server (no code of the source involved), and a strict changelog replica: +I of a present key, -U/-D of a row that
// is not exactly the present one, or +U of a present key is a duplicate or a gap, and fails the test at once.
import type { Connection } from 'mysql2/promise';
import { RowKind, type Row } from '@runnel/api/table';
import type { MariaDb } from '../support/mariadb.js';

/** A small seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TABLES = ['orders', 'items', 'tags'] as const;
export type TableName = (typeof TABLES)[number];

/** Creates database `db` with the three tables and `rows` seeded rows in orders (items a quarter, tags 500). */
export async function createSourceTables(db: MariaDb, database: string, rows: number): Promise<void> {
  await db.query(`CREATE DATABASE \`${database}\`;
    CREATE TABLE \`${database}\`.orders (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(40), d DECIMAL(12,2), ts DATETIME(3)) ENGINE=InnoDB;
    CREATE TABLE \`${database}\`.items (id INT PRIMARY KEY, v INT, s VARCHAR(40), d DECIMAL(12,2), ts DATETIME(3)) ENGINE=InnoDB;
    CREATE TABLE \`${database}\`.tags (code VARCHAR(20) PRIMARY KEY, v INT, s VARCHAR(40), d DECIMAL(12,2), ts DATETIME(3)) ENGINE=InnoDB;`);
  const c = await db.connect(database);
  try {
    const batch = 5000;
    for (let from = 1; from <= rows; from += batch) {
      const to = Math.min(rows, from + batch - 1);
      await c.query(
        `INSERT INTO orders SELECT seq, seq % 1000, CONCAT('o', seq), seq / 100, TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00.123') FROM seq_${from}_to_${to}`,
      );
    }
    const items = Math.max(1, Math.floor(rows / 4));
    await c.query(`INSERT INTO items SELECT seq, seq % 7, CONCAT('i', seq), -seq / 10, NULL FROM seq_1_to_${items}`);
    await c.query(`INSERT INTO tags SELECT CONCAT('k', seq), seq, NULL, seq * 1.5, '2030-06-01 12:00:00' FROM seq_1_to_500`);
  } finally {
    await c.end();
  }
}

/** Orders' ids are dense from 1: the writer inserts above, and moves keys up by 10 000 000. */
export interface WriterStats {
  transactions: number;
  statements: number;
}

/**
 * Writes until `stop()`: small transactions of 1-3 statements on random tables. Returns a handle whose `done`
 * settles when the writer stopped.
 */
export function startWriter(db: MariaDb, database: string, seed: number, seededRows: number, paceMs = 0): { stop: () => Promise<WriterStats> } {
  const random = rng(seed);
  const stats: WriterStats = { transactions: 0, statements: 0 };
  let stopping = false;
  let nextOrder = seededRows + 1;
  let nextItem = Math.max(1, Math.floor(seededRows / 4)) + 1;
  let nextTag = 501;
  const pick = (n: number): number => 1 + Math.floor(random() * n);
  const statement = (): string => {
    const t = random();
    const r = random();
    if (t < 0.5) {
      if (r < 0.3) return `INSERT INTO orders VALUES (${nextOrder++}, ${pick(1000)}, 'w${seed}', ${pick(99999)}.25, NOW(3))`;
      if (r < 0.65) return `UPDATE orders SET v = v + 1, s = 'u${pick(1000)}', d = d + 1 WHERE id = ${pick(nextOrder)}`;
      if (r < 0.75) {
        // A range of 4 keys; one in ten spans 2 000 (4 000 changelog records in one transaction: more than a poll
        // emits, often across a checkpoint, so restores land inside a transaction). Two independent picks used to
        // make ranges of 13 000 keys on average — up to 80 000 records a statement, a binlog the kill test's final run
        // could not follow to the end within its deadline (the lag read as lost changes).
        const lo = pick(nextOrder);
        return `UPDATE orders SET v = v + 1 WHERE id BETWEEN ${lo} AND ${lo + (r < 0.74 ? 3 : 1999)}`;
      }
      if (r < 0.8) return `UPDATE orders SET id = id + 10000000 WHERE id = ${pick(nextOrder)}`;
      return `DELETE FROM orders WHERE id = ${pick(nextOrder)}`;
    }
    if (t < 0.8) {
      if (r < 0.3) return `INSERT INTO items VALUES (${nextItem++}, NULL, 'w', -0.5, '2001-02-03 04:05:06.789')`;
      if (r < 0.7) return `UPDATE items SET v = IFNULL(v, 0) + 1, ts = NOW(3) WHERE id = ${pick(nextItem)}`;
      return `DELETE FROM items WHERE id = ${pick(nextItem)}`;
    }
    if (r < 0.3) return `INSERT INTO tags VALUES ('k${nextTag++}', 1, 'x', 0.01, NULL)`;
    if (r < 0.7) return `UPDATE tags SET v = v + 1, s = 'y' WHERE code = 'k${pick(nextTag)}'`;
    return `DELETE FROM tags WHERE code = 'k${pick(nextTag)}'`;
  };
  const done = (async () => {
    const c = await db.connect(database);
    try {
      while (!stopping) {
        const n = 1 + Math.floor(random() * 3);
        await c.query('START TRANSACTION');
        for (let i = 0; i < n; i++) {
          await c.query(statement());
          stats.statements++;
        }
        await c.query('COMMIT');
        stats.transactions++;
        if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
        else if (stats.transactions % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      await c.end();
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await done;
      return stats;
    },
  };
}

/** The tables as text rows by key, read by the server (the oracle). */
export async function oracle(c: Connection, database: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const t of TABLES) {
    const key = t === 'tags' ? 'code' : 'id';
    const [rows] = await c.query(
      `SELECT CAST(${key} AS CHAR) AS k, CONCAT_WS('|', IFNULL(CAST(v AS CHAR), 'null'), IFNULL(s, 'null'), IFNULL(CAST(CAST(d * 100 AS SIGNED) AS CHAR), 'null'),
        IFNULL(CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ts) DIV 1000 AS CHAR), 'null')) AS r FROM \`${database}\`.${t}`,
    );
    const m = new Map<string, string>();
    for (const r of rows as { k: string; r: string }[]) m.set(`${r.k}`, r.r);
    out.set(t, m);
  }
  return out;
}

/** A row's text form as the oracle writes it (fields: key, v, s, d unscaled, ts ms, then metadata). */
export function rowText(fields: readonly unknown[]): string {
  const s = (v: unknown): string => (v === null || v === undefined ? 'null' : String(v));
  return [s(fields[1]), s(fields[2]), s(fields[3]), s(fields[4])].join('|');
}

/** A strict changelog replica. */
export class Replica {
  readonly tables = new Map<string, Map<string, string>>(TABLES.map((t) => [t, new Map()]));
  applied = 0;
  constructor(private readonly database: string) {}

  apply(rows: readonly Row[]): void {
    for (const r of rows) {
      const f = r.fields;
      const n = f.length;
      const db = f[n - 4];
      const table = f[n - 3] as string;
      if (db !== this.database) throw new Error(`a row of database ${String(db)}`);
      const m = this.tables.get(table)!;
      const key = String(f[0]);
      const text = rowText(f);
      const where = `${table} key ${key} (${['+I', '-U', '+U', '-D'][r.kind]}, change #${this.applied})`;
      switch (r.kind) {
        case RowKind.INSERT:
        case RowKind.UPDATE_AFTER:
          if (m.has(key)) throw new Error(`duplicate: ${where}: the key is present (${m.get(key)}), new ${text}`);
          m.set(key, text);
          break;
        case RowKind.UPDATE_BEFORE:
        case RowKind.DELETE:
          if (m.get(key) !== text) throw new Error(`gap or duplicate: ${where}: retracts ${text} but the replica has ${m.get(key) ?? 'nothing'}`);
          m.delete(key);
          break;
      }
      this.applied++;
    }
  }

  /** The first difference from the oracle, or undefined. */
  diff(expected: Map<string, Map<string, string>>): string | undefined {
    for (const t of TABLES) {
      const a = this.tables.get(t)!;
      const e = expected.get(t)!;
      if (a.size !== e.size) {
        for (const [k, v] of e) if (a.get(k) !== v) return `${t}: ${a.size} rows, expected ${e.size}; key ${k}: ${a.get(k) ?? 'missing'} vs ${v}`;
        for (const k of a.keys()) if (!e.has(k)) return `${t}: ${a.size} rows, expected ${e.size}; extra key ${k}`;
      }
      for (const [k, v] of e) if (a.get(k) !== v) return `${t}: key ${k}: ${a.get(k) ?? 'missing'} vs ${v}`;
    }
    return undefined;
  }
}
