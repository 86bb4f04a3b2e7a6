// Identifier and literal escaping for the SQL the sink generates (18.16 has no query parameters), error
// translation into retriable/fatal/configuration kinds, and password redaction, checked without a server; the
// escaping is also exercised against a real server by the sink tests (a table named with quotes and backquotes).
import { describe, expect, it } from 'vitest';
import { ClickHouseSinkError, redact, translateClickHouseError } from '../../src/client/clickhouse-errors.js';
import { parseClickHouseUrls } from '../../src/client/clickhouse-cluster.js';
import { qualifiedTable, quoteIdentifier, quoteString } from '../../src/client/sql-escape.js';

describe('escaping, errors and urls', () => {
  it('escapes identifiers and strings', () => {
    expect(quoteIdentifier('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(quoteString("it's\\\n")).toBe("'it\\'s\\\\\\n'");
    expect(qualifiedTable('d', 't`')).toBe('`d`.`t\\``');
  });

  it('translates driver errors by kind and redacts the password', () => {
    const fatal = translateClickHouseError(new Error('Code: 60, e.displayText() = DB::Exception: Table x doesn\'t exist.'), "clickhouse table 'd.x'", 'pw');
    expect(fatal).toBeInstanceOf(ClickHouseSinkError);
    expect(fatal.kind).toBe('fatal');
    expect(fatal.code).toBe('60');
    expect(translateClickHouseError(new Error('Code: 252, Too many parts'), 'w', undefined).kind).toBe('retriable');
    expect(translateClickHouseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {}), 'w', undefined).kind).toBe('retriable');
    const auth = translateClickHouseError(new Error('Code: 193, Wrong password for user writer: hunter2'), 'w', 'hunter2');
    expect(auth.message).not.toContain('hunter2');
    expect(String((auth.cause as Error).message)).not.toContain('hunter2');
    expect(redact('http://u:hunter2@h:8123/', undefined)).toBe('http://***:***@h:8123/');
  });

  it('parses shards of replicas and refuses credentials in urls', () => {
    expect(parseClickHouseUrls('http://a:1,http://b:1; http://c:1', 'w')).toEqual([['http://a:1', 'http://b:1'], ['http://c:1']]);
    expect(() => parseClickHouseUrls('http://u:secret@a:1', 'w')).toThrow(/credentials in 'username' and 'password'/);
    expect(() => parseClickHouseUrls('tcp://a:9000', 'w')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseClickHouseUrls(' ; ', 'w')).toThrow(/at least one node/);
  });
});
