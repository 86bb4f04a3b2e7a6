// ORDER BY: ascending by a rowtime attribute on a stream (rows leave in time order as the watermark passes them) and
// any order with LIMIT on a bounded input; other orders on unbounded input are refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSelect } from '../support/sql-harness.js';

function ticks(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-order-'));
  const file = join(dir, 'ticks.json');
  const base = Date.UTC(2024, 0, 1);
  const lines: string[] = [];
  // Shuffled within blocks of 10 rows (1 s of event time), less than the 2 s watermark delay.
  for (let b = 0; b < 50; b++) {
    const block = Array.from({ length: 10 }, (_, i) => b * 10 + i).sort((x, y) => ((x * 7919) % 13) - ((y * 7919) % 13));
    for (const i of block) lines.push(JSON.stringify({ id: i, v: (i * 37) % 101, ts: new Date(base + i * 100).toISOString().replace('T', ' ').replace('Z', '') }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return `CREATE TABLE ticks (id INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json');\n`;
}

describe('ORDER BY', () => {
  it('sorts a stream by its rowtime attribute', async () => {
    const out = await runSelect(`${ticks()}SELECT id, ts FROM ticks ORDER BY ts;`, { 'parallelism.default': '2' });
    expect(out.changelog.map((r) => r.fields[0])).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('sorts a bounded input with LIMIT and OFFSET', async () => {
    const out = await runSelect(`${ticks()}SELECT id, v FROM ticks ORDER BY v DESC, id LIMIT 3 OFFSET 1;`, { 'parallelism.default': '2' });
    const all = Array.from({ length: 500 }, (_, i) => [i, (i * 37) % 101]).sort((a, b) => b[1]! - a[1]! || a[0]! - b[0]!);
    expect(out.changelog.map((r) => r.fields)).toEqual(all.slice(1, 4));
  });

  it('refuses other orders on an unbounded input', async () => {
    await expect(runSelect(`CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen');\nSELECT id FROM g ORDER BY id;`)).rejects.toThrow('not supported: ORDER BY on an unbounded input');
  });
});
