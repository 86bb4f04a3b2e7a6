// Mini-batch group aggregation: the same final result as without, with fewer updates in the changelog.
import { beforeAll, describe, expect, it } from 'vitest';
import { Oracle, canonRows } from '../support/oracle.js';
import { runSelect } from '../support/sql-harness.js';
import { ordersTable } from '../differential/orders-data.js';

describe('table.exec.mini-batch', () => {
  let ddl: string;
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.create();
    ddl = await ordersTable(oracle, 7, 4000);
  });

  it('folds a group\'s changes within the latency into one update', async () => {
    const q = 'SELECT app, COUNT(*), SUM(amount), MAX(qty) FROM orders GROUP BY app;';
    const plain = await runSelect(`${ddl}${q}`, { 'parallelism.default': '2' });
    const batched = await runSelect(`${ddl}SET 'table.exec.mini-batch.enabled' = 'true';\nSET 'table.exec.mini-batch.allow-latency' = '2 s';\nSET 'table.exec.mini-batch.size' = '1000';\n${q}`, { 'parallelism.default': '2' });
    expect(batched.inconsistencies).toBe(0);
    expect(canonRows(batched.rows, batched.types)).toEqual(canonRows(plain.rows, plain.types));
    expect(canonRows(batched.rows, batched.types)).toEqual(await oracle.rows('SELECT app, COUNT(*), SUM(amount), MAX(qty) FROM orders GROUP BY app'));
    expect(batched.changelog.length).toBeLessThan(plain.changelog.length / 10);
  });

  it('needs allow-latency and size, as Flink', async () => {
    await expect(runSelect(`${ddl}SET 'table.exec.mini-batch.enabled' = 'true';\nSELECT app, COUNT(*) FROM orders GROUP BY app;`)).rejects.toThrow('allow-latency');
  });
});
