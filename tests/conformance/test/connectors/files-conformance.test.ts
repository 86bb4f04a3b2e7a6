// Runs @runnel/testing's source and sink conformance suites against @runnel/connector-files, as a plugin author
// would run them against their own connector.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { FileSink, FileSource } from '@runnel/connector-files';
import { describeConformance, sinkConformance, sourceConformance } from '@runnel/testing';

interface Row {
  readonly file: number;
  readonly line: number;
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'runnel-conformance-files-'));
  dirs.push(d);
  return d;
}
async function cleanup(): Promise<void> {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
}

/** Five files of different lengths, small read chunks and polls so that checkpoints fall in the middle of files. */
const FILES = [40, 7, 0, 120, 33];
const rows: Row[] = FILES.flatMap((n, file) => Array.from({ length: n }, (_, line) => ({ file, line })));
let sourceDir: string | undefined;

describeConformance(
  sourceConformance<Row>({
    name: 'file source (bounded)',
    async createSource() {
      if (sourceDir === undefined) {
        sourceDir = await mkdtemp(join(tmpdir(), 'runnel-conformance-file-source-'));
        for (const [file, n] of FILES.entries()) {
          const text = rows.filter((r) => r.file === file).map((r) => JSON.stringify(r) + '\n').join('');
          await writeFile(join(sourceDir, `f${file}.jsonl`), text);
        }
      }
      return new FileSource<Row>({ path: sourceDir, readChunkSize: 64, maxRecordsPerPoll: 5 });
    },
    expectedRecords: rows,
  }),
  { describe, it },
);

const sinkDirs = new WeakMap<object, string>();
describeConformance(
  sinkConformance<{ i: number }>({
    name: 'file sink (exactly once)',
    async createSink() {
      const dir = await tempDir();
      const sink = new FileSink<{ i: number }>({ path: dir, writeBatchSize: 16 });
      sinkDirs.set(sink, dir);
      return sink;
    },
    async readCommitted(sink) {
      const dir = sinkDirs.get(sink)!;
      const out: { i: number }[] = [];
      for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jsonl') && !n.startsWith('.'))) {
        const text = await readFile(join(dir, f), 'utf8');
        for (const line of text.split('\n')) if (line.length > 0) out.push(JSON.parse(line) as { i: number });
      }
      return out;
    },
    cleanup,
  }),
  { describe, it },
);
