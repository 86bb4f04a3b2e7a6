// `table.exec.sink.keyed-shuffle` and `sink.parallelism`: a sink table with a PRIMARY KEY that runs at another
// parallelism than its input gets its rows hash-partitioned by the key (AUTO), so that every change of a key reaches
// one sink subtask in order; with NONE they are spread round-robin; an updating query into a table without a primary
// key at another parallelism is refused before the job starts, as in Flink. The `print` sink shows which subtask
// wrote each row (`<subtask>> +U[...]`); the jobs run in this thread so that its output can be read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScript } from '../support/sql-harness.js';

const SOURCE = `CREATE TABLE src (i BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '0', 'fields.i.kind' = 'sequence', 'fields.i.start' = '0', 'fields.i.end' = '299');`;
const LOCAL = { 'execution.target': 'local' };

/** Runs the script with stdout captured; returns which subtasks printed the rows of each key. */
async function subtasksPerKey(script: string, config: Record<string, string>): Promise<Map<string, Set<string>>> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  await runScript(script, { ...LOCAL, ...config });
  vi.restoreAllMocks();
  const per = new Map<string, Set<string>>();
  for (const l of lines) {
    const m = /^(\d+)> [+-][IUD]\[(\d+),/.exec(l);
    if (!m) continue;
    const set = per.get(m[2]!) ?? new Set<string>();
    set.add(m[1]!);
    per.set(m[2]!, set);
  }
  return per;
}

const sinkTable = (pk: boolean): string =>
  `CREATE TABLE out (k BIGINT, c BIGINT${pk ? ', PRIMARY KEY (k) NOT ENFORCED' : ''}) WITH ('connector' = 'print', 'sink.parallelism' = '2');`;
const INSERT = 'INSERT INTO out SELECT MOD(i, 7) AS k, COUNT(*) FROM src GROUP BY MOD(i, 7);';

describe('sink keyed shuffle', () => {
  afterEach(() => vi.restoreAllMocks());

  it('AUTO: the changes of each key reach one sink subtask when sink.parallelism differs from the input', async () => {
    const per = await subtasksPerKey(`${SOURCE}${sinkTable(true)}${INSERT}`, { 'parallelism.default': '1' });
    expect([...per.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    for (const [k, subtasks] of per) expect({ k, subtasks: subtasks.size }).toEqual({ k, subtasks: 1 });
    // Both sink subtasks are used.
    expect(new Set([...per.values()].flatMap((s) => [...s])).size).toBe(2);
  });

  it('NONE: the rows go round-robin, so a key\'s changes are spread over the subtasks', async () => {
    const per = await subtasksPerKey(`${SOURCE}${sinkTable(true)}${INSERT}`, { 'parallelism.default': '1', 'table.exec.sink.keyed-shuffle': 'NONE' });
    expect([...per.values()].some((s) => s.size > 1)).toBe(true);
  });

  it('an updating query into a table without a primary key at another parallelism is refused', async () => {
    await expect(runScript(`${SOURCE}${sinkTable(false)}${INSERT}`, { ...LOCAL, 'parallelism.default': '1' })).rejects.toThrow(
      /The sink for table 'out' has a configured parallelism of 2, while the input parallelism is 1\. Since the configured parallelism is different from the input's parallelism and the changelog mode is not insert-only .*a primary key is required but could not be found/,
    );
  });

  it('an insert-only query into a table without a primary key may run at another parallelism', async () => {
    const per = await subtasksPerKey(`${SOURCE}${sinkTable(false)}INSERT INTO out SELECT MOD(i, 7), i FROM src;`, { 'parallelism.default': '1' });
    expect(per.size).toBe(7);
  });

  it('rejects an unknown keyed-shuffle mode', async () => {
    await expect(runScript(`${SOURCE}${sinkTable(true)}${INSERT}`, { ...LOCAL, 'table.exec.sink.keyed-shuffle': 'SOMETIMES' })).rejects.toThrow(/keyed-shuffle/);
  });
});
