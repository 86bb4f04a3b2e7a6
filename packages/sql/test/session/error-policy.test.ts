// A malformed JSON line in an input file under each error policy: `fail` names the file and line, `skip` drops and
// counts it, `dead-letter` routes the raw line, its position and the error to another table.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, runSelect } from '../support/sql-harness.js';

function input(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-policy-'));
  const file = join(dir, 'events.json');
  writeFileSync(file, ['{"id": 1, "name": "a"}', '{"id": 2, "name": "b"}', '{"id": 3, "name": ', '{"id": 4, "name": "d"}', '{"id": "x5", "name": "e"}'].join('\n') + '\n');
  return { dir, file };
}

const table = (file: string, extra: string): string =>
  `CREATE TABLE events (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json'${extra});\n`;

describe('format error policies', () => {
  it('fail (the default) names the file and line', async () => {
    const { file } = input();
    await expect(runSelect(`${table(file, '')}SELECT * FROM events;`)).rejects.toThrow(`(at ${file}:3)`);
  });

  it('skip drops the bad lines and counts them', async () => {
    const { file } = input();
    const out = await runSelect(`${table(file, ", 'json.ignore-parse-errors' = 'true'")}SELECT id, name FROM events;`);
    expect(out.rows.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['1:a', '2:b', '4:d']);
    const out2 = await runSelect(`${table(file, ", 'json.error-policy' = 'skip'")}SELECT id FROM events;`);
    expect(out2.rows.length).toBe(3);
    expect(out2.counter('numSkippedRecords')).toBe(2);
  });

  it('dead-letter routes the raw line, its position and the error to a table', async () => {
    const { dir, file } = input();
    const bad = join(dir, 'bad');
    const results = await runScript(
      `${table(file, ", 'json.error-policy' = 'dead-letter', 'json.dead-letter-table' = 'bad_rows'")}
CREATE TABLE bad_rows (position STRING, error STRING, raw STRING) WITH ('connector' = 'filesystem', 'path' = '${bad}', 'format' = 'json');
CREATE TABLE good (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${join(dir, 'good')}', 'format' = 'json');
INSERT INTO good SELECT * FROM events;`,
    );
    expect(results.at(-1)!.kind).toBe('job');
    const lines = readdirSync(bad).flatMap((f) => readFileSync(join(bad, f), 'utf8').split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { position: string; error: string; raw: string });
    expect(lines.map((l) => l.position).sort()).toEqual([`${file}:3`, `${file}:5`]);
    expect(lines.find((l) => l.position.endsWith(':3'))!.raw).toBe('{"id": 3, "name": ');
    expect(lines.find((l) => l.position.endsWith(':5'))!.error).toContain('id');
    const good = readdirSync(join(dir, 'good')).flatMap((f) => readFileSync(join(dir, 'good', f), 'utf8').split('\n').filter(Boolean));
    expect(good.length).toBe(3);
  });
});
