// The corruption suite: each case damages the newest checkpoint in one way and checks that loadLatestValid
// detects it (or, where the damage means "never completed", ignores it), falls back to the previous checkpoint,
// and fails with a clear error once the same damage hits every checkpoint.
import { appendFile, cp, mkdir, readFile, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointStorage, CompletedCheckpointRef } from '@runnel/api';
import {
  CheckpointCorruptedError,
  checksumOf,
  decodeMetadata,
  FsCheckpointStorage,
  loadLatestValid,
  NoIntactCheckpointError,
  verifyCheckpoint,
  type CorruptionProblem,
} from '../src/index.js';
import { tempDir, writeSampleCheckpoint, type SampleCheckpoint } from './helpers.js';

interface Ctx {
  /** Directory of the checkpoint to damage. */
  readonly cp: string;
  readonly sample: SampleCheckpoint;
  /** Directory of an intact checkpoint of the same job with another id (in another storage). */
  readonly donor: string;
}

const KEYED = 'agg.keyed.0';

async function flipBit(path: string, where: 'start' | 'middle' | 'end'): Promise<void> {
  const b = await readFile(path);
  const i = where === 'start' ? 0 : where === 'middle' ? b.length >> 1 : b.length - 1;
  b[i]! ^= 0x04;
  await writeFile(path, b);
}

async function cut(path: string, to: (size: number) => number): Promise<void> {
  const b = await readFile(path);
  await truncate(path, to(b.length));
}

function envelope(json: string, version = 1): Buffer {
  const body = Buffer.from(json, 'utf8');
  return Buffer.concat([Buffer.from(`RUNNEL-CHECKPOINT-METADATA ${version} ${checksumOf(body)} ${body.length}\n`), body]);
}

/** Rewrites _metadata with a correct envelope around mutated JSON: damage that only validation can catch. */
async function rewriteMetadata(cp: string, mutate: (m: any) => void): Promise<void> {
  const m = JSON.parse(JSON.stringify(decodeMetadata(await readFile(join(cp, '_metadata')))));
  mutate(m);
  await writeFile(join(cp, '_metadata'), envelope(JSON.stringify(m)));
}

type Expectation = { ignored: true } | { problem: CorruptionProblem | RegExp; file: string | undefined; message: RegExp };

const meta = (c: Ctx): string => join(c.cp, '_metadata');
const keyed = (c: Ctx): string => join(c.cp, KEYED);

const cases: [string, (c: Ctx) => Promise<void>, Expectation][] = [
  ['flip a bit at the start of a state file', (c) => flipBit(keyed(c), 'start'), { problem: 'checksum-mismatch', file: KEYED, message: /checksum mismatch \(recorded crc32:\w{8}, computed crc32:\w{8}\)/ }],
  ['flip a bit in the middle of a state file', (c) => flipBit(keyed(c), 'middle'), { problem: 'checksum-mismatch', file: KEYED, message: /checksum mismatch/ }],
  ['flip a bit at the end of a state file', (c) => flipBit(keyed(c), 'end'), { problem: 'checksum-mismatch', file: KEYED, message: /checksum mismatch/ }],
  ['flip a bit at the start of _metadata', (c) => flipBit(meta(c), 'start'), { problem: 'malformed', file: '_metadata', message: /not a Runnel checkpoint metadata file/ }],
  ['flip a bit in the middle of _metadata', (c) => flipBit(meta(c), 'middle'), { problem: 'checksum-mismatch', file: '_metadata', message: /metadata checksum mismatch/ }],
  ['flip a bit at the end of _metadata', (c) => flipBit(meta(c), 'end'), { problem: 'checksum-mismatch', file: '_metadata', message: /metadata checksum mismatch/ }],
  ['truncate a state file to 0 bytes', (c) => cut(keyed(c), () => 0), { problem: 'truncated', file: KEYED, message: /truncated \(size 0 of \d+ bytes\)/ }],
  ['truncate a state file to half', (c) => cut(keyed(c), (n) => n >> 1), { problem: 'truncated', file: KEYED, message: /truncated \(size \d+ of \d+ bytes\)/ }],
  ['truncate a state file by one byte', (c) => cut(keyed(c), (n) => n - 1), { problem: 'truncated', file: KEYED, message: /truncated \(size (\d+) of \d+ bytes\)/ }],
  ['truncate _metadata to 0 bytes', (c) => cut(meta(c), () => 0), { problem: 'truncated', file: '_metadata', message: /metadata is empty/ }],
  ['truncate _metadata to half', (c) => cut(meta(c), (n) => n >> 1), { problem: 'truncated', file: '_metadata', message: /metadata truncated \(size \d+ of \d+ JSON bytes\)/ }],
  ['truncate _metadata by one byte', (c) => cut(meta(c), (n) => n - 1), { problem: 'truncated', file: '_metadata', message: /metadata truncated/ }],
  ['delete a state file', (c) => rm(keyed(c)), { problem: 'missing', file: KEYED, message: /file "agg\.keyed\.0": missing/ }],
  ['delete _metadata (checkpoint never completed)', (c) => rm(meta(c)), { ignored: true }],
  ['rename _metadata back to _metadata.tmp (crash before the rename)', (c) => rename(meta(c), join(c.cp, '_metadata.tmp')), { ignored: true }],
  ['empty the checkpoint directory', async (c) => {
    await rm(c.cp, { recursive: true });
    await mkdir(c.cp);
  }, { ignored: true }],
  ['replace _metadata with garbage', (c) => writeFile(meta(c), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42])), { problem: 'malformed', file: '_metadata', message: /starts with 0x00ff133742/ }],
  ['replace _metadata with bare JSON of format version 2', (c) => writeFile(meta(c), JSON.stringify({ format: 'runnel-checkpoint', version: 2, operators: [] })), { problem: 'malformed', file: '_metadata', message: /not a Runnel checkpoint metadata file \(starts with "\{\\"format/ }],
  ['replace _metadata with well-formed metadata of format version 2', (c) => rewriteMetadata(c.cp, (m) => (m.version = 2)), { problem: 'unsupported-version', file: '_metadata', message: /format version 2 is not supported/ }],
  ['replace _metadata with a future header version', async (c) => writeFile(meta(c), envelope((await readFile(meta(c), 'utf8')).split('\n')[1]!, 3)), { problem: 'unsupported-version', file: '_metadata', message: /format version 3/ }],
  ["replace _metadata with another checkpoint's metadata", (c) => cp(join(c.donor, '_metadata'), meta(c)), { problem: 'mismatch', file: '_metadata', message: /metadata describes checkpoint 9, not checkpoint \d/ }],
  ['append bytes to a state file', (c) => appendFile(keyed(c), 'extra'), { problem: 'oversized', file: KEYED, message: /too long \(size \d+, expected \d+ bytes/ }],
  ['append bytes to _metadata', (c) => appendFile(meta(c), '\n'), { problem: 'oversized', file: '_metadata', message: /1 bytes after the declared/ }],
  ['swap two state files of the same size', async (c) => {
    const a = join(c.cp, 'source.operator.0');
    const b = join(c.cp, 'source.operator.1');
    const [ba, bb] = [await readFile(a), await readFile(b)];
    expect(ba.length).toBe(bb.length);
    await writeFile(a, bb);
    await writeFile(b, ba);
  }, { problem: 'checksum-mismatch', file: 'source.operator.0', message: /checksum mismatch/ }],
  ['zero a 64-byte block in the middle of a state file', async (c) => {
    const b = await readFile(keyed(c));
    b.fill(0, (b.length >> 1) - 32, (b.length >> 1) + 32);
    await writeFile(keyed(c), b);
  }, { problem: 'checksum-mismatch', file: KEYED, message: /checksum mismatch/ }],
  ['replace a state file with a directory', async (c) => {
    await rm(keyed(c));
    await mkdir(keyed(c));
  }, { problem: 'not-a-file', file: KEYED, message: /is not a regular file \(a directory\)/ }],
  ['replace _metadata with a directory', async (c) => {
    await rm(meta(c));
    await mkdir(meta(c));
  }, { problem: 'not-a-file', file: '_metadata', message: /not a regular file/ }],
  ['replace a state file with a symlink to an intact copy', async (c) => {
    await rename(keyed(c), join(c.cp, 'elsewhere'));
    await symlink(join(c.cp, 'elsewhere'), keyed(c));
  }, { problem: 'not-a-file', file: KEYED, message: /symbolic link/ }],
  ['metadata pointing outside the checkpoint directory', (c) => rewriteMetadata(c.cp, (m) => (m.operators[1].keyGroupHandles[0].handle.ref = '../chk-1/agg.keyed.0')), { problem: 'malformed', file: '_metadata', message: /keyGroupHandles\[0\]\.handle\.ref: unsafe state file name/ }],
  ['metadata referencing a file that was never written', (c) => rewriteMetadata(c.cp, (m) => (m.operators[0].coordinatorState.handle.ref = 'ghost')), { problem: 'missing', file: 'ghost', message: /missing/ }],
  ['metadata recording a larger size than the file', (c) => rewriteMetadata(c.cp, (m) => (m.operators[0].operatorStateHandles[1].handle.size += 1)), { problem: 'truncated', file: 'source.operator.1', message: /truncated \(size \d+ of \d+ bytes\)/ }],
  ['metadata with an unknown checksum algorithm', (c) => rewriteMetadata(c.cp, (m) => (m.operators[0].operatorStateHandles[0].handle.checksum = 'md5:abcd')), { problem: 'malformed', file: '_metadata', message: /unsupported or malformed checksum "md5:abcd"/ }],
  ['metadata whose recorded checksum was altered', (c) => rewriteMetadata(c.cp, (m) => (m.operators[0].coordinatorState.handle.checksum = 'crc32:00000000')), { problem: 'checksum-mismatch', file: 'source.coordinator', message: /recorded crc32:00000000/ }],
];

let dir: string;
let cleanup: () => Promise<void>;
let donor: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  const donorStorage = new FsCheckpointStorage({ directory: join(dir, 'donor') });
  await writeSampleCheckpoint(donorStorage, 9);
  donor = join(dir, 'donor', 'chk-9');
});
afterEach(async () => {
  await cleanup();
});

describe('loadLatestValid corruption suite', () => {
  it('has at least 20 distinct cases', () => {
    expect(new Set(cases.map((c) => c[0])).size).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s: detected, falls back, fails clearly when nothing is left', async (_name, damage, expected) => {
    const directory = join(dir, 'job');
    const storage = new FsCheckpointStorage({ directory, retained: 5 });
    const first = await writeSampleCheckpoint(storage, 1);
    const second = await writeSampleCheckpoint(storage, 2);
    expect((await loadLatestValid(storage))!.ref.ref).toBe('chk-2');

    await damage({ cp: join(directory, 'chk-2'), sample: second, donor });
    const skipped: [CompletedCheckpointRef, CheckpointCorruptedError][] = [];
    const loaded = await loadLatestValid(storage, { onCorrupted: (ref, error) => skipped.push([ref, error]) });
    expect(loaded?.ref).toEqual({ checkpointId: 1, kind: 'checkpoint', ref: 'chk-1' });
    expect(loaded?.metadata).toEqual(first.metadata);

    if ('ignored' in expected) {
      expect(skipped).toEqual([]);
    } else {
      expect(skipped).toHaveLength(1);
      const [ref, error] = skipped[0]!;
      expect(ref.ref).toBe('chk-2');
      expect(error).toBeInstanceOf(CheckpointCorruptedError);
      if (typeof expected.problem === 'string') expect(error.problem).toBe(expected.problem);
      expect(error.checkpoint).toBe('chk-2');
      expect(error.file).toBe(expected.file);
      expect(error.message).toMatch(expected.message);
      expect(error.message.startsWith(`checkpoint chk-2, file "${expected.file}": `)).toBe(true);
    }

    // the same damage to the only remaining checkpoint
    await damage({ cp: join(directory, 'chk-1'), sample: first, donor });
    if ('ignored' in expected) {
      expect(await loadLatestValid(storage)).toBeUndefined();
    } else {
      const failure = loadLatestValid(storage);
      await expect(failure).rejects.toBeInstanceOf(NoIntactCheckpointError);
      await expect(failure).rejects.toThrow(`no intact checkpoint in ${directory}: chk-2: file "${expected.file}": `);
      await expect(failure).rejects.toThrow(new RegExp(`; chk-1: file "${expected.file!.replace('.', '\\.')}": `));
    }
  });
});

describe('verification', () => {
  it('reads every referenced byte and reports how much', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const sample = await writeSampleCheckpoint(storage, 3, { keys: 2000 });
    const v = await verifyCheckpoint(storage, (await storage.listCompleted())[0]!);
    const stateBytes = sample.metadata.operators
      .flatMap((o) => [...o.keyGroupHandles.map((h) => h.handle.size), ...o.operatorStateHandles.map((h) => h.handle.size), o.coordinatorState?.handle.size ?? 0])
      .reduce((a, b) => a + b, 0);
    expect(v.files).toBe(sample.files.length);
    expect(v.verifiedBytes).toBe(stateBytes + (await readFile(join(dir, 'chk-3', '_metadata'))).length);
  });

  it('works with any CheckpointStorage (through readState) and rethrows errors that are not corruption', async () => {
    const fs = new FsCheckpointStorage({ directory: dir, retained: 5 });
    await writeSampleCheckpoint(fs, 1);
    await writeSampleCheckpoint(fs, 2);
    await flipBit(join(dir, 'chk-2', 'source.coordinator'), 'middle');
    let reads = 0;
    const plain: CheckpointStorage = {
      name: 'plain',
      location: dir,
      beginCheckpoint: (id, kind) => fs.beginCheckpoint(id, kind),
      beginSavepoint: (id, target) => fs.beginSavepoint(id, target),
      pointerOf: (ref) => fs.pointerOf(ref),
      retain: (protect) => fs.retain(protect),
      cleanupIncomplete: () => fs.cleanupIncomplete(),
      readLineage: () => fs.readLineage(),
      writeLineage: (l) => fs.writeLineage(l),
      listCompleted: () => fs.listCompleted(),
      readMetadata: (ref) => fs.readMetadata(ref),
      readState: (ref, h) => {
        reads++;
        return fs.readState(ref, h);
      },
      discard: (ref) => fs.discard(ref),
      close: () => fs.close(),
    };
    const errors: string[] = [];
    const loaded = await loadLatestValid(plain, { onCorrupted: (_r, e) => errors.push(e.message) });
    expect(loaded!.ref.ref).toBe('chk-1');
    expect(errors).toEqual([expect.stringMatching(/^checkpoint chk-2, file "source\.coordinator": checksum mismatch/)]);
    expect(reads).toBeGreaterThan(5);

    const offline: CheckpointStorage = { ...plain, readMetadata: () => Promise.reject(new Error('EIO: storage offline')) };
    await expect(loadLatestValid(offline)).rejects.toThrow('EIO: storage offline');
  });

  it('can leave savepoints out', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 1);
    await writeSampleCheckpoint(storage, 2, { kind: 'savepoint' });
    expect((await loadLatestValid(storage))!.ref.kind).toBe('savepoint');
    expect((await loadLatestValid(storage, { includeSavepoints: false }))!.ref.ref).toBe('chk-1');
  });
});
