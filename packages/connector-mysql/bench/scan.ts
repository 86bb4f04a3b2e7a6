// The scan benchmark: reading a whole table through the MySQL scan source (one split, driven as the runtime drives a
// reader: pollNext until the end, waiting on isAvailable), against plain mysql2 streaming the same SELECT.
import type { ReaderOutput, SourceReader } from '@runnel/api/connector';
import { TestReaderContext } from '@runnel/testing';
import { createConnection } from 'mysql2';
import { MySqlScanSource } from '../src/scan/mysql-scan-source.js';
import type { MySqlScanSplit } from '../src/scan/mysql-scan-split.js';
import type { MySqlConnectionSettings } from '../src/jdbc/mysql-connection.js';
import { COLUMNS, measure, type Measured } from './common.js';

/** Reads `table` through the scan source; returns rows read. */
export async function runnelScanRound(connection: MySqlConnectionSettings, table: string, rows: number): Promise<Measured> {
  const source = new MySqlScanSource({ connection, table, columns: COLUMNS, fetchSize: 4096 });
  const reader: SourceReader<unknown, MySqlScanSplit> = source.createReader(new TestReaderContext());
  let n = 0;
  const output: ReaderOutput<unknown> = {
    collect: () => {
      n++;
    },
    createOutputForSplit: () => output,
    releaseOutputForSplit: () => undefined,
    markIdle: () => undefined,
  };
  const m = await measure(rows, async () => {
    await reader.start();
    reader.addSplits([{ splitId: 'all', emitted: 0 }]);
    reader.notifyNoMoreSplits();
    for (;;) {
      const s = reader.pollNext(output);
      if (s === 'end-of-input') break;
      if (s === 'nothing-available') await reader.isAvailable();
    }
  });
  await reader.close();
  if (n !== rows) throw new Error(`scan read ${n} rows, expected ${rows}`);
  return m;
}

/** Streams the same SELECT with plain mysql2 (same driver options as the source). */
export async function plainScanRound(connection: MySqlConnectionSettings, table: string, rows: number): Promise<Measured> {
  const c = createConnection({ host: connection.host, port: connection.port, user: connection.user, password: connection.password ?? '', database: connection.database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  let n = 0;
  const m = await measure(rows, async () => {
    await new Promise<void>((resolve, reject) => {
      const s = c.query({ sql: `SELECT id, name, amount, ts, qty FROM \`${table}\` ORDER BY id`, rowsAsArray: true }).stream({ highWaterMark: 4096 });
      s.on('data', () => {
        n++;
      });
      s.on('end', () => resolve());
      s.on('error', reject);
    });
  });
  c.end();
  if (n !== rows) throw new Error(`plain scan read ${n} rows, expected ${rows}`);
  return m;
}
