// Options, URLs and errors without a server: Flink's keys accepted (and the deprecated lookup keys), unknown keys and
// URL parameters refused by name, passwords redacted from URLs and messages, driver errors sorted into kinds —
// and, against a real server, a lock wait timeout and a deadlock are retriable.
import { describe, expect, it } from 'vitest';
import { JdbcOptions } from '../../src/jdbc/jdbc-options.js';
import { describeJdbcUrl, parseJdbcUrl } from '../../src/jdbc/jdbc-url.js';
import { mysqlErrorKind, toMySqlError } from '../../src/jdbc/mysql-errors.js';
import { parseJdbcTableOptions } from '../../src/table/jdbc-table-options.js';
import { startMariaDb } from '../support/mariadb.js';

const base = { connector: 'jdbc', url: 'jdbc:mysql://db.example.com:3307/shop', 'table-name': 'orders', username: 'app', password: 'pw-Secret' };

describe('jdbc options and URL', () => {
  it('reads Flink DDL options, with the deprecated lookup keys', () => {
    const o = parseJdbcTableOptions('t', { ...base, driver: 'com.mysql.cj.jdbc.Driver', 'lookup.cache.max-rows': '500', 'lookup.cache.ttl': '10 s', 'sink.buffer-flush.interval': '2s' });
    expect(o.connection).toMatchObject({ host: 'db.example.com', port: 3307, database: 'shop', user: 'app', password: 'pw-Secret', timeZone: 'UTC' });
    expect(o.options.get(JdbcOptions.lookupPartialCacheMaxRows)).toBe(500);
    expect(o.options.get(JdbcOptions.lookupPartialCacheExpireAfterWrite)).toBe(10_000);
    expect(o.options.get(JdbcOptions.sinkBufferFlushInterval)).toBe(2000);
    expect(o.options.get(JdbcOptions.sinkDeliveryGuarantee)).toBe('exactly-once');
  });

  it('takes user, password and zone from the URL and refuses what it does not know, naming it', () => {
    const u = parseJdbcUrl('jdbc:mariadb://bob:s%40cret@[::1]/d?serverTimezone=Asia/Shanghai&useUnicode=true&connectTimeout=500');
    expect(u).toMatchObject({ host: '::1', port: 3306, database: 'd', user: 'bob', password: 's@cret', timeZone: 'Asia/Shanghai', connectTimeoutMs: 500 });
    expect(() => parseJdbcUrl('jdbc:postgresql://h/d')).toThrow(/not a MySQL JDBC URL/);
    expect(() => parseJdbcUrl('jdbc:mysql://h1,h2/d')).toThrow(/several hosts/);
    expect(() => parseJdbcUrl('jdbc:mysql://h/d?password=top&allowLoadLocalInfile=true')).toThrow(/unknown parameter 'allowLoadLocalInfile'.*password=\*\*\*/);
    expect(() => parseJdbcUrl('jdbc:mysql://h/d?password=top&allowLoadLocalInfile=true')).not.toThrow(/top/);
    expect(describeJdbcUrl('jdbc:mysql://u:p@h/d?user=u&password=p2')).toBe('jdbc:mysql://u:***@h/d?user=u&password=***');
    expect(() => parseJdbcTableOptions('t', { ...base, 'sink.max-retires': '1' })).toThrow(/unknown option 'sink.max-retires' \(did you mean 'sink.max-retries'\?\)/);
    expect(() => parseJdbcTableOptions('t', { ...base, 'server-time-zone': 'Mars/Base' })).toThrow(/server-time-zone.*unknown time zone/);
    expect(() => parseJdbcTableOptions('t', { connector: 'jdbc', url: 'jdbc:mysql://h/d', 'table-name': 't' })).toThrow(/'username' is not set/);
    expect(() => parseJdbcTableOptions('t', { ...base, 'table-name': 'a\u0000b' })).toThrow(/table-name.*NUL/);
  });

  it('sorts driver errors into kinds and redacts secrets', () => {
    expect(mysqlErrorKind({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })).toBe('retriable');
    expect(mysqlErrorKind({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 })).toBe('retriable');
    expect(mysqlErrorKind({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).toBe('retriable');
    expect(mysqlErrorKind({ code: 'ECONNREFUSED' })).toBe('retriable');
    expect(mysqlErrorKind({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 })).toBe('configuration');
    expect(mysqlErrorKind({ code: 'ER_NO_SUCH_TABLE', errno: 1146 })).toBe('configuration');
    expect(mysqlErrorKind({ code: 'ER_DATA_TOO_LONG', errno: 1406, sqlState: '22001' })).toBe('fatal');
    const e = toMySqlError({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, message: "Access denied for 'x' using password 'pw-Secret'" }, 'connecting', ['pw-Secret']);
    expect(e.message).toBe("connecting: Access denied for 'x' using password '***' [ER_ACCESS_DENIED_ERROR 1045]");
    expect(e.kind).toBe('configuration');
  });

  it('a lock wait timeout and a deadlock from a real server are retriable', async () => {
    const db = await startMariaDb({ binlog: false });
    try {
      await db.query('CREATE DATABASE e; CREATE TABLE e.x (id INT PRIMARY KEY, v INT); INSERT INTO e.x VALUES (1, 0), (2, 0)');
      const a = await db.connect('e');
      const b = await db.connect('e');
      await b.query('SET innodb_lock_wait_timeout = 1');
      await a.query('START TRANSACTION');
      await a.query('UPDATE x SET v = 1 WHERE id = 1');
      const timeout = await b.query('UPDATE x SET v = 2 WHERE id = 1').then(() => undefined, (err: unknown) => err);
      expect(mysqlErrorKind(timeout)).toBe('retriable');
      await b.query('START TRANSACTION');
      await b.query('UPDATE x SET v = 2 WHERE id = 2');
      await b.query('SET innodb_lock_wait_timeout = 30');
      const waiting = b.query('UPDATE x SET v = 2 WHERE id = 1').then(() => undefined, (err: unknown) => err);
      await new Promise((r) => setTimeout(r, 300));
      const other = await a.query('UPDATE x SET v = 1 WHERE id = 2').then(() => undefined, (err: unknown) => err);
      const deadlock = (await waiting) ?? other;
      expect((deadlock as { code?: string }).code).toBe('ER_LOCK_DEADLOCK');
      expect(mysqlErrorKind(deadlock)).toBe('retriable');
      a.destroy();
      b.destroy();
    } finally {
      await db.stop();
    }
  }, 120_000);
});
