// The lookup source against a real MariaDB: batched lookups answer each key with its rows (several, none, NULL keys
// none), deduplicated; the PARTIAL cache serves repeated keys (hits counted), caches misses unless told not to,
// expires after write and evicts beyond max-rows; a lost connection is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlLookupSource } from '../../src/lookup/mysql-lookup-source.js';
import { PartialCache } from '../../src/lookup/partial-cache.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { settingsFor } from '../support/mysql-fixtures.js';

let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query(`CREATE DATABASE l; CREATE TABLE l.dim (id BIGINT, region VARCHAR(10), name VARCHAR(20), PRIMARY KEY (id, region));
    INSERT INTO l.dim VALUES (1, 'eu', 'one-eu'), (1, 'us', 'one-us'), (2, 'eu', 'two-eu'), (3, 'EU', 'three-eu')`);
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

describe('MySqlLookupSource', () => {
  it('answers a batch of keys, several rows per key or none, matching by the server\'s collation', async () => {
    const l = new MySqlLookupSource({ connection: settingsFor(db, 'l'), table: 'dim', keyColumns: ['id'], columns: [{ name: 'region' }, { name: 'name' }] });
    await l.open();
    const got = await l.lookup([[1n], [9n], [2n], [1n], [null]]);
    expect(got.map((rows) => rows.map((r) => r.fields.join(':')).sort())).toEqual([['eu:one-eu', 'us:one-us'], [], ['eu:two-eu'], ['eu:one-eu', 'us:one-us'], []]);
    const composite = new MySqlLookupSource({ connection: settingsFor(db, 'l'), table: 'dim', keyColumns: ['id', 'region'] });
    const c = await composite.lookup([[3n, 'eu'], [1n, 'us']]);
    expect(c.map((rows) => rows.map((r) => r.fields[2]))).toEqual([['three-eu'], ['one-us']]);
    expect(composite.columns.map((x) => x.type.root)).toEqual(['BIGINT', 'VARCHAR', 'VARCHAR']);
    await l.close();
    await composite.close();
  });

  it('caches rows and misses (PARTIAL) and reconnects after a lost connection', async () => {
    const l = new MySqlLookupSource({ connection: settingsFor(db, 'l'), table: 'dim', keyColumns: ['id'], cache: { maxRows: 10, cacheMissingKey: true }, maxRetries: 3 });
    await l.lookup([[1n], [42n]]);
    await db.query("UPDATE l.dim SET name = 'changed' WHERE id = 1 AND region = 'eu'");
    const again = await l.lookup([[1n], [42n]]);
    expect(again[0]!.map((r) => r.fields[2]).sort()).toEqual(['one-eu', 'one-us']);
    expect(l.cacheStats).toMatchObject({ hits: 2, misses: 2 });
    await db.query("UPDATE l.dim SET name = 'one-eu' WHERE id = 1 AND region = 'eu'");
    // Kill the lookup's connection on the server: the next lookup reconnects and retries.
    const [ids] = await Promise.all([db.query<{ ID: number }>("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = 'l' AND COMMAND = 'Sleep'")]);
    for (const { ID } of ids) await db.query(`KILL ${ID}`);
    const fresh = await l.lookup([[2n]]);
    expect(fresh[0]!.map((r) => r.fields[2])).toEqual(['two-eu']);
    await l.close();
  });

  it('partial cache: expire-after-write, expire-after-access, max-rows, cache-missing-key', () => {
    let now = 0;
    const c = new PartialCache<string>({ maxRows: 2, expireAfterWriteMs: 100 }, () => now);
    c.put('a', ['1']);
    c.put('b', ['2']);
    expect(c.get('a')).toEqual(['1']);
    c.put('c', ['3']); // evicts b, the least recently used
    expect(c.get('b')).toBeUndefined();
    now = 100;
    expect(c.get('a')).toBeUndefined();
    const access = new PartialCache<string>({ expireAfterAccessMs: 50 }, () => now);
    access.put('x', []);
    now += 40;
    expect(access.get('x')).toEqual([]);
    now += 40;
    expect(access.get('x')).toEqual([]);
    now += 60;
    expect(access.get('x')).toBeUndefined();
    const noMiss = new PartialCache<string>({ cacheMissingKey: false });
    noMiss.put('m', []);
    expect(noMiss.get('m')).toBeUndefined();
  });
});
