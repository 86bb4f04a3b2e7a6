// The harness itself: a server starts on a free loopback port with the binlog in ROW format, answers queries,
// restarts on the same data, and is gone (pid and temp dir) after stop.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from './mariadb.js';

describe('startMariaDb', () => {
  let db: MariaDb | undefined;
  afterAll(async () => {
    await db?.stop();
  });

  it('runs a throwaway server with a ROW binlog that survives a restart and is removed by stop', async () => {
    db = await startMariaDb();
    const [vars] = await db.query<{ f: string; i: string; b: string }>(
      "SELECT @@binlog_format AS f, @@binlog_row_image AS i, @@bind_address AS b",
    );
    expect(vars).toEqual({ f: 'ROW', i: 'FULL', b: '127.0.0.1' });
    await db.query('CREATE DATABASE t; CREATE TABLE t.x (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t.x VALUES (1, "a")');
    const pid = db.pid();
    await db.stopServer();
    await db.startServer();
    expect(db.pid()).not.toBe(pid);
    expect(await db.query('SELECT id, v FROM t.x')).toEqual([{ id: 1, v: 'a' }]);
    const dir = db.dir;
    const serverPid = db.pid();
    await db.stop();
    expect(existsSync(dir)).toBe(false);
    expect(() => process.kill(serverPid, 0)).toThrow();
  });
});
