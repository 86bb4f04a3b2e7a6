// Checkpoint metadata: the self-describing root of a checkpoint or savepoint. Per operator uid it records the
// registered keyed states (name, kind, serializer ids and versions), the keyed-state file of every old subtask with
// its key-group range and block index, the operator-state files, and the coordinator state. It is JSON so that
// people and the compatibility checker can read it without Runnel; a one-line text header carries the format
// version, the byte length and a CRC of the JSON:
//
//   RUNNEL-CHECKPOINT-METADATA 1 crc32:<8 hex> <json byte length>\n<json>
//
// The header makes truncation, appended bytes and bit flips detectable before JSON.parse sees anything, and
// decoding then validates every field (types, ranges, safe file names) so that a restore never acts on metadata
// that only looks right.

import type { SerializerSnapshot, StateHandle, StateMetaInfo } from '@runnel/api';
import { crc32, hex32, parseChecksum } from './checksum.js';
import { CheckpointCorruptedError, type CorruptionLocation } from '../errors.js';
import { stateFileNameProblem } from '../file-names.js';

/**
 * Version of the metadata format (the JSON `version` field and the header's version).
 *
 * @public
 */
export const METADATA_FORMAT_VERSION = 1;

/**
 * Name of the metadata file in a checkpoint directory.
 *
 * @public
 */
export const METADATA_FILE_NAME = '_metadata';

const HEADER_PREFIX = 'RUNNEL-CHECKPOINT-METADATA ';
const MAX_HEADER = 128;
const HEADER_PATTERN = /^RUNNEL-CHECKPOINT-METADATA (\d{1,9}) crc32:([0-9a-f]{8}) (\d{1,15})$/;

/**
 * The state of one operator (by uid) in a checkpoint.
 *
 * @public
 */
export interface OperatorSnapshotMeta {
  uid: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  keyedStates: StateMetaInfo[];
  /** One per old subtask: its key-group range, its keyed-state file and the file's block index. */
  keyGroupHandles: { start: number; end: number; handle: StateHandle; index: [number, number, number][] }[];
  operatorStates: { name: string; mode: 'split' | 'union'; serializer: SerializerSnapshot }[];
  operatorStateHandles: { subtask: number; handle: StateHandle }[];
  /** State of the operator's coordinator, e.g. a source's split enumerator. */
  coordinatorState?: { serializer: SerializerSnapshot; handle: StateHandle };
  /**
   * The operator's watermark at the barrier: the lowest current watermark of its subtasks (a watermark at the end
   * of event time is written as `Number.MAX_VALUE`). Absent when some subtask had none yet, and in checkpoints of
   * versions before it was recorded. A restored operator continues from it.
   */
  watermark?: number;
}

/**
 * The root of a checkpoint or savepoint (JSON-able).
 *
 * @public
 */
export interface CheckpointMetadata {
  format: 'runnel-checkpoint';
  version: 1;
  checkpointId: number;
  kind: 'checkpoint' | 'savepoint';
  jobName: string;
  timestamp: number;
  operators: OperatorSnapshotMeta[];
}

/**
 * Encodes metadata (validated first, so that nothing unreadable is ever written).
 *
 * @throws CheckpointCorruptedError (`malformed`) when the metadata is not valid.
 * @public
 */
export function encodeMetadata(meta: CheckpointMetadata): Uint8Array {
  validateMetadata(JSON.parse(JSON.stringify(meta)) as unknown);
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const header = Buffer.from(`${HEADER_PREFIX}${METADATA_FORMAT_VERSION} crc32:${hex32(crc32(json))} ${json.length}\n`, 'latin1');
  const out = new Uint8Array(header.length + json.length);
  out.set(header, 0);
  out.set(json, header.length);
  return out;
}

/**
 * Decodes and validates metadata bytes.
 *
 * @param where - the checkpoint and file, for error messages.
 * @throws CheckpointCorruptedError naming the problem: not a metadata file, unsupported version, truncated (with
 *   sizes), appended bytes, checksum mismatch, invalid JSON, or the first invalid field (by path).
 * @public
 */
export function decodeMetadata(bytes: Uint8Array, where: CorruptionLocation = {}): CheckpointMetadata {
  const fail = (problem: ConstructorParameters<typeof CheckpointCorruptedError>[0], detail: string): never => {
    throw new CheckpointCorruptedError(problem, detail, where);
  };
  if (bytes.length === 0) fail('truncated', 'metadata is empty (0 bytes)');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefixLength = Math.min(HEADER_PREFIX.length, buf.length);
  if (buf.toString('latin1', 0, prefixLength) !== HEADER_PREFIX.slice(0, prefixLength)) {
    fail('malformed', `not a Runnel checkpoint metadata file (starts with ${describeStart(buf)})`);
  }
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || nl > MAX_HEADER) {
    fail(buf.length <= MAX_HEADER && nl < 0 ? 'truncated' : 'malformed', `metadata header ${nl < 0 && buf.length <= MAX_HEADER ? `truncated at ${buf.length} bytes` : 'line is malformed'}`);
  }
  const line = buf.toString('latin1', 0, nl);
  const m = HEADER_PATTERN.exec(line);
  if (m === null) fail('malformed', `metadata header line is malformed: ${JSON.stringify(line.slice(0, 80))}`);
  const version = Number(m![1]);
  if (version !== METADATA_FORMAT_VERSION) {
    fail('unsupported-version', `metadata format version ${version} is not supported (this build reads version ${METADATA_FORMAT_VERSION})`);
  }
  const declared = Number(m![3]);
  const actualLength = buf.length - nl - 1;
  if (actualLength < declared) fail('truncated', `metadata truncated (size ${actualLength} of ${declared} JSON bytes)`);
  if (actualLength > declared) fail('oversized', `metadata has ${actualLength - declared} bytes after the declared ${declared} JSON bytes`);
  const json = bytes.subarray(nl + 1);
  const computed = hex32(crc32(json));
  if (computed !== m![2]) fail('checksum-mismatch', `metadata checksum mismatch (recorded crc32:${m![2]}, computed crc32:${computed})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  } catch (err) {
    fail('malformed', `metadata is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return validateMetadata(parsed);
  } catch (err) {
    if (err instanceof CheckpointCorruptedError) throw err.withLocation(where);
    throw err;
  }
}

function describeStart(buf: Buffer): string {
  const head = buf.subarray(0, 16);
  const text = head.toString('latin1');
  return /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${head.toString('hex')}`;
}

class Invalid extends Error {}

/**
 * Checks that a parsed value is well-formed {@link CheckpointMetadata} and returns it typed.
 *
 * @throws CheckpointCorruptedError (`unsupported-version` for a wrong `version`, `malformed` otherwise) naming the
 *   first invalid field by path, e.g. `operators[0].keyGroupHandles[1].handle.size`.
 * @public
 */
export function validateMetadata(value: unknown): CheckpointMetadata {
  try {
    const m = obj(value, '(root)');
    if (m.format !== 'runnel-checkpoint') throw new Invalid(`format: expected "runnel-checkpoint", got ${show(m.format)}`);
    if (m.version !== METADATA_FORMAT_VERSION) {
      throw new CheckpointCorruptedError('unsupported-version', `metadata format version ${show(m.version)} is not supported (this build reads version ${METADATA_FORMAT_VERSION})`);
    }
    int(m.checkpointId, 'checkpointId', 0);
    oneOf(m.kind, 'kind', ['checkpoint', 'savepoint']);
    str(m.jobName, 'jobName');
    num(m.timestamp, 'timestamp');
    const ops = arr(m.operators, 'operators');
    const uids = new Set<string>();
    ops.forEach((o, i) => {
      const uid = validateOperator(o, `operators[${i}]`);
      if (uids.has(uid)) throw new Invalid(`operators[${i}].uid: "${uid}" appears twice`);
      uids.add(uid);
    });
    return value as CheckpointMetadata;
  } catch (err) {
    if (err instanceof Invalid) throw new CheckpointCorruptedError('malformed', `invalid metadata: ${err.message}`);
    throw err;
  }
}

function validateOperator(value: unknown, path: string): string {
  const o = obj(value, path);
  const uid = str(o.uid, `${path}.uid`);
  str(o.name, `${path}.name`);
  const parallelism = int(o.parallelism, `${path}.parallelism`, 1);
  const maxParallelism = int(o.maxParallelism, `${path}.maxParallelism`, 1);
  arr(o.keyedStates, `${path}.keyedStates`).forEach((s, i) => {
    const p = `${path}.keyedStates[${i}]`;
    const so = obj(s, p);
    str(so.name, `${p}.name`);
    oneOf(so.kind, `${p}.kind`, ['value', 'list', 'map', 'reducing', 'aggregating']);
    serializer(so.valueSerializer, `${p}.valueSerializer`);
    if (so.mapKeySerializer !== undefined) serializer(so.mapKeySerializer, `${p}.mapKeySerializer`);
    if (so.ttl !== undefined) obj(so.ttl, `${p}.ttl`);
  });
  arr(o.keyGroupHandles, `${path}.keyGroupHandles`).forEach((k, i) => {
    const p = `${path}.keyGroupHandles[${i}]`;
    const ko = obj(k, p);
    const start = int(ko.start, `${p}.start`, 0);
    const end = int(ko.end, `${p}.end`, -1);
    if (end >= maxParallelism) throw new Invalid(`${p}: key-group range [${start}, ${end}] exceeds maxParallelism ${maxParallelism}`);
    const size = handle(ko.handle, `${p}.handle`);
    arr(ko.index, `${p}.index`).forEach((e, j) => {
      const q = `${p}.index[${j}]`;
      const t = arr(e, q);
      if (t.length !== 3) throw new Invalid(`${q}: expected [keyGroup, offset, length]`);
      const kg = int(t[0], `${q}[0]`, 0);
      const off = int(t[1], `${q}[1]`, 0);
      const len = int(t[2], `${q}[2]`, 1);
      if (kg < start || kg > end) throw new Invalid(`${q}: key group ${kg} outside the range [${start}, ${end}]`);
      if (off + len > size) throw new Invalid(`${q}: block at ${off} (+${len}) lies beyond the file size ${size}`);
    });
  });
  arr(o.operatorStates, `${path}.operatorStates`).forEach((s, i) => {
    const p = `${path}.operatorStates[${i}]`;
    const so = obj(s, p);
    str(so.name, `${p}.name`);
    oneOf(so.mode, `${p}.mode`, ['split', 'union']);
    serializer(so.serializer, `${p}.serializer`);
  });
  arr(o.operatorStateHandles, `${path}.operatorStateHandles`).forEach((h, i) => {
    const p = `${path}.operatorStateHandles[${i}]`;
    const ho = obj(h, p);
    const subtask = int(ho.subtask, `${p}.subtask`, 0);
    if (subtask >= parallelism) throw new Invalid(`${p}.subtask: ${subtask} is not below the parallelism ${parallelism}`);
    handle(ho.handle, `${p}.handle`);
  });
  if (o.watermark !== undefined) num(o.watermark, `${path}.watermark`);
  if (o.coordinatorState !== undefined) {
    const c = obj(o.coordinatorState, `${path}.coordinatorState`);
    serializer(c.serializer, `${path}.coordinatorState.serializer`);
    handle(c.handle, `${path}.coordinatorState.handle`);
  }
  return uid;
}

function handle(value: unknown, path: string): number {
  const h = obj(value, path);
  const ref = str(h.ref, `${path}.ref`);
  const problem = stateFileNameProblem(ref);
  if (problem !== undefined) throw new Invalid(`${path}.ref: unsafe state file name ${JSON.stringify(ref)} (${problem})`);
  const size = int(h.size, `${path}.size`, 0);
  const checksum = str(h.checksum, `${path}.checksum`);
  if (parseChecksum(checksum) === undefined) throw new Invalid(`${path}.checksum: unsupported or malformed checksum ${JSON.stringify(checksum)}`);
  return size;
}

function serializer(value: unknown, path: string): void {
  const s = obj(value, path);
  str(s.id, `${path}.id`);
  int(s.version, `${path}.version`, 1);
}

function obj(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${path}: expected an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${path}: expected an array, got ${show(value)}`);
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Invalid(`${path}: expected a string, got ${show(value)}`);
  return value;
}

function num(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(`${path}: expected a finite number, got ${show(value)}`);
  return value;
}

function int(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new Invalid(`${path}: expected an integer >= ${min}, got ${show(value)}`);
  }
  return value;
}

function oneOf(value: unknown, path: string, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new Invalid(`${path}: expected one of ${allowed.join(', ')}, got ${show(value)}`);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * Every state handle a checkpoint references, with a description of what it holds (for messages).
 *
 * @public
 */
export function referencedHandles(meta: CheckpointMetadata): { handle: StateHandle; what: string }[] {
  const out: { handle: StateHandle; what: string }[] = [];
  for (const op of meta.operators) {
    for (const k of op.keyGroupHandles) out.push({ handle: k.handle, what: `keyed state of operator ${op.uid}, key groups ${k.start}-${k.end}` });
    for (const h of op.operatorStateHandles) out.push({ handle: h.handle, what: `operator state of operator ${op.uid}, subtask ${h.subtask}` });
    if (op.coordinatorState !== undefined) out.push({ handle: op.coordinatorState.handle, what: `coordinator state of operator ${op.uid}` });
  }
  return out;
}
