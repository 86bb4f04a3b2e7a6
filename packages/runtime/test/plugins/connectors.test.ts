// Connectors selected by identifier in a DataStream job: the job module awaits connectorSource/connectorSink, which
// find the installed package by its manifest in the coordinator and in every worker; mistakes fail with the closest
// identifier or option.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorSink, connectorSource, runJob } from '../../src/index.js';

const jobs = new URL('../fixtures/connector-jobs.ts', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('connectors by identifier', () => {
  it('runs a job whose source and sink come from installed connectors (datagen → filesystem), on worker threads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'runnel-connectors-'));
    dirs.push(out);
    const rows = 500;
    await runJob(jobs, { exportName: 'datagenToFiles', args: { rows, out }, options: { 'parallelism.default': 2 } });
    const lines = readdirSync(out)
      .filter((f) => !f.startsWith('.'))
      .flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as { id: number; twice: number });
    expect(lines.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(lines.every((r) => r.twice === r.id * 2)).toBe(true);
  });

  it('names the closest identifier and what is installed when one is unknown', async () => {
    await expect(connectorSource('datagne')).rejects.toThrow(/unknown connector 'datagne'.*did you mean 'datagen'.*available: .*filesystem/s);
  });

  it('rejects a sink-only connector as a source, and an unknown option with the closest key', async () => {
    await expect(connectorSource('blackhole')).rejects.toThrow(/connector 'blackhole' cannot be read from: it provides a sink only/);
    await expect(connectorSink('filesystem', { pth: '/tmp/x', format: 'json' })).rejects.toThrow(/pth.*did you mean 'path'/s);
    await expect(connectorSink('filesystem', { connector: 'filesystem', path: '/tmp/x' })).rejects.toThrow(/'connector' is the identifier itself/);
  });
});
