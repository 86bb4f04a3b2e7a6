// The machine's ceiling for the LevelDB backend's miss path: how many random point reads per second classic-level's
// `getMany` serves from a database of 1 M small entries (the keyed-count state), with nothing else running. A keyed
// count over more keys than the backend's cache needs about one such read per record that misses, so this bounds
// what any backend built on classic-level can reach here when the key set does not fit the cache.
//
// Best case on purpose: the database is fully compacted (one sorted run, no memtable to consult), its blocks fit
// the block cache the backend uses (32 MiB), keys have the backend's layout and size, and batches are the size a
// task's prefetch issues. Prints one JSON line: keys/s and the process's CPU use for 1, 2 and 4 concurrent reads.
//
// Run: npx tsx --conditions=@runnel/source src/level-read-ceiling.ts [keys] [reads]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const READS = Number(process.argv[3] ?? 400_000);
const BATCH = 1024;

/** [key group u16][state id u16][tagged number key][tagged namespace]: the shape, and size, of the backend's keys. */
function keyOf(i: number): Buffer {
  const b = Buffer.allocUnsafe(11);
  b.writeUInt16BE(i % 128, 0);
  b.writeUInt16BE(1, 2);
  b[4] = 0x05;
  b.writeUInt32BE(i, 5);
  b[9] = 0x00;
  b[10] = 0x00;
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'runnel-level-ceiling-'));
try {
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', cacheSize: 32 << 20, writeBufferSize: 16 << 20 });
  await db.open();
  let batch = db.batch();
  for (let i = 0; i < KEYS; i++) {
    batch.put(keyOf(i), Buffer.from([1, 0, 0x05, i & 0xff]));
    if (batch.length >= 10_000) {
      await batch.write();
      batch = db.batch();
    }
  }
  await batch.write();
  // (classic-level's compaction call; `level`'s type declarations do not list it.)
  await (db as unknown as { compactRange(start: Buffer, end: Buffer): Promise<void> }).compactRange(Buffer.alloc(0), Buffer.alloc(16, 0xff));
  // Deterministic uniform keys, as the keyed count draws them.
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  const results: { concurrency: number; keysPerSecond: number; cores: number }[] = [];
  for (const concurrency of [1, 2, 4]) {
    const keys: Buffer[] = [];
    for (let i = 0; i < READS; i++) keys.push(keyOf(Math.floor(rand() * KEYS)));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < READS; i += BATCH * concurrency) {
      const reads: Promise<unknown>[] = [];
      for (let j = 0; j < concurrency; j++) {
        const from = i + j * BATCH;
        if (from < READS) reads.push(db.getMany(keys.slice(from, Math.min(READS, from + BATCH))));
      }
      await Promise.all(reads);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    results.push({ concurrency, keysPerSecond: Math.round(READS / seconds), cores: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100 });
  }
  await db.close();
  console.log(JSON.stringify({ probe: 'level-read-ceiling', keys: KEYS, reads: READS, batch: BATCH, results }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
