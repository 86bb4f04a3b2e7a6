// Throughput of the checkpoint path on this machine: encoding/decoding keyed state, writing state files (with
// fsync), and whole-checkpoint verification (every byte read and checksummed). Not a test: numbers vary with load.
//
//   node --conditions=@runnel/source --import tsx bench/checkpoint-throughput.ts [totalMB]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { KeyGroupEntries } from '@runnel/api';
import {
  crc32,
  decodeKeyGroups,
  encodeKeyGroups,
  encodeMetadata,
  FsCheckpointStorage,
  loadLatestValid,
  type CheckpointMetadata,
} from '../src/index.js';
import { crc32Portable } from '../src/format/checksum.js';

const totalMB = Number(process.argv[2] ?? 256);
const MB = 1024 * 1024;

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

// 1. checksums over 64 MiB
const buf = Buffer.alloc(64 * MB);
for (let i = 0; i < buf.length; i++) buf[i] = (i * 2654435761) >>> 24;
for (const [name, f] of [
  ['crc32 (zlib, native)', () => crc32(buf)],
  ['crc32 (TypeScript, slice-by-8)', () => crc32Portable(buf)],
  ['sha256 (node:crypto)', () => createHash('sha256').update(buf).digest().length],
] as const) {
  const best = Math.min(...[0, 1, 2].map(() => time(f)[1]));
  console.log(`${name.padEnd(32)} ${(64 / best).toFixed(0)} MB/s`);
}

// 2. keyed-state encode/decode: 1 M entries (value state, string keys, small object values)
const groups: KeyGroupEntries[] = [];
const N = 1_000_000;
for (let kg = 0; kg < 128; kg++) {
  const entries = [];
  for (let i = kg; i < N; i += 128) entries.push({ state: 'agg', key: `user-${i}`, namespace: 1_700_000_000_000, value: { count: i, sum: i * 1.5, last: 'x' } });
  groups.push({ keyGroup: kg, entries });
}
const [enc, encS] = time(() => encodeKeyGroups(groups));
const [dec, decS] = time(() => decodeKeyGroups(enc.bytes, enc.index));
const [half, halfS] = time(() => decodeKeyGroups(enc.bytes, enc.index, (kg) => kg < 64));
console.log(`encodeKeyGroups: ${(N / encS / 1e6).toFixed(2)} M entries/s, ${(enc.bytes.length / MB / encS).toFixed(0)} MB/s (${(enc.bytes.length / MB).toFixed(1)} MB)`);
console.log(`decodeKeyGroups: ${(N / decS / 1e6).toFixed(2)} M entries/s (${dec.length} groups); half the key groups via index: ${(halfS * 1000).toFixed(0)} ms (${half.length} groups)`);

// 3. write + verify a checkpoint of `totalMB` in 8 files
const dir = await mkdtemp(join(tmpdir(), 'runnel-ckpt-bench-'));
try {
  const storage = new FsCheckpointStorage({ directory: dir });
  const files = 8;
  const chunk = Buffer.alloc(Math.floor((totalMB * MB) / files));
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7919) >>> 3;
  const loc = await storage.beginCheckpoint(1, 'checkpoint');
  let t = performance.now();
  const handles = [];
  for (let i = 0; i < files; i++) {
    chunk[0] = i;
    handles.push(await loc.writeState(`f${i}`, chunk));
  }
  const meta: CheckpointMetadata = {
    format: 'runnel-checkpoint', version: 1, checkpointId: 1, kind: 'checkpoint', jobName: 'bench', timestamp: Date.now(),
    operators: [{ uid: 'op', name: 'op', parallelism: files, maxParallelism: 128, keyedStates: [], keyGroupHandles: [], operatorStates: [],
      operatorStateHandles: handles.map((handle, subtask) => ({ subtask, handle })) }],
  };
  await loc.writeMetadata(encodeMetadata(meta));
  const writeS = (performance.now() - t) / 1000;
  console.log(`write ${totalMB} MB in ${files} files (fsync each, checksum): ${(totalMB / writeS).toFixed(0)} MB/s`);
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    const v = await loadLatestValid(storage);
    const s = (performance.now() - t) / 1000;
    console.log(`loadLatestValid (verify ${(v!.verifiedBytes / MB).toFixed(0)} MB, page cache warm): ${(v!.verifiedBytes / MB / s).toFixed(0)} MB/s`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
