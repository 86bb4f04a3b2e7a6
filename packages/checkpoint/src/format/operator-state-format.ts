// The canonical operator (non-keyed) state file of one subtask: its named lists with their redistribution mode.
//
//   file    := header | u32 payloadLength | payload | u32 sealedCrc32(everything before)
//   header  := "RNOS" | u16 version=1 | u16 flags=0 | u8 len | "runnel.generic" | u16 1 | u32 sealedCrc32(header)
//   payload := varuint stateCount, then per state: string name, u8 mode (0 split, 1 union),
//              varuint elementCount, elements in the generic tagged codec (one shape table for the whole payload)

import type { OperatorStateEntries } from '@runnel/api';
import { BinaryReader, BinaryWriter, GENERIC_SERIALIZER_ID } from '@runnel/codec';
import { ByteBuffer } from './byte-buffer.js';
import { hex32, sealedCrc32 } from './checksum.js';
import { readFileHeader, writeFileHeader } from './file-header.js';
import { CheckpointCorruptedError } from '../errors.js';

/**
 * Magic of operator-state files.
 *
 * @public
 */
export const OPERATOR_STATE_MAGIC = 'RNOS';

/**
 * Current (and only) version of the operator-state file format.
 *
 * @public
 */
export const OPERATOR_STATE_FORMAT_VERSION = 1;

const WHAT = 'operator-state file';

/**
 * Encodes the operator state of one subtask. State names must be unique.
 *
 * @throws RangeError for repeated names or unknown modes; TypeError for elements the generic codec cannot encode.
 * @public
 */
export function encodeOperatorState(states: readonly OperatorStateEntries[]): Uint8Array {
  const w = new BinaryWriter(4096);
  const names = new Set<string>();
  w.writeVarUint(states.length);
  for (const s of states) {
    if (names.has(s.name)) throw new RangeError(`operator state "${s.name}" appears twice`);
    names.add(s.name);
    if (s.mode !== 'split' && s.mode !== 'union') throw new RangeError(`operator state "${s.name}": unknown mode "${String(s.mode)}"`);
    w.writeString(s.name);
    w.writeUint8(s.mode === 'split' ? 0 : 1);
    w.writeVarUint(s.elements.length);
    try {
      for (const e of s.elements) w.writeValue(e);
    } catch (err) {
      throw new TypeError(`cannot encode operator state "${s.name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const payload = w.view();
  const out = new ByteBuffer(payload.length + 64);
  writeFileHeader(out, OPERATOR_STATE_MAGIC, OPERATOR_STATE_FORMAT_VERSION, { id: GENERIC_SERIALIZER_ID, version: 1 });
  out.u32(payload.length);
  out.bytes(payload);
  out.u32(sealedCrc32(out.view()));
  return out.toBytes();
}

/**
 * Decodes an operator-state file.
 *
 * @throws CheckpointCorruptedError (without a file location: callers add it) for any damage.
 * @public
 */
export function decodeOperatorState(bytes: Uint8Array): OperatorStateEntries[] {
  const header = readFileHeader(bytes, OPERATOR_STATE_MAGIC, OPERATOR_STATE_FORMAT_VERSION, WHAT);
  const s = header.serializer;
  if (s.id !== GENERIC_SERIALIZER_ID || s.version !== 1) {
    throw new CheckpointCorruptedError('unsupported-version', `${WHAT}: written with serializer ${s.id} v${s.version}, this build reads ${GENERIC_SERIALIZER_ID} v1`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = header.length;
  if (p + 4 > bytes.length) throw new CheckpointCorruptedError('truncated', `${WHAT}: ends after the header`);
  const payloadLength = dv.getUint32(p, true);
  const expected = p + 4 + payloadLength + 4;
  if (bytes.length < expected) throw new CheckpointCorruptedError('truncated', `${WHAT}: truncated (size ${bytes.length} of ${expected} bytes)`);
  if (bytes.length > expected) throw new CheckpointCorruptedError('oversized', `${WHAT}: ${bytes.length - expected} trailing bytes`);
  const stored = dv.getUint32(expected - 4, true);
  const actual = sealedCrc32(bytes.subarray(0, expected - 4));
  if (stored !== actual) throw new CheckpointCorruptedError('checksum-mismatch', `${WHAT}: checksum mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})`);
  try {
    const r = new BinaryReader(bytes.subarray(p + 4, p + 4 + payloadLength));
    const n = r.readVarUint();
    const out: OperatorStateEntries[] = [];
    for (let i = 0; i < n; i++) {
      const name = r.readString();
      const modeByte = r.readUint8();
      if (modeByte > 1) throw new RangeError(`Cannot decode: unknown mode ${modeByte} of state "${name}"`);
      const count = r.readVarUint();
      if (count > r.remaining) throw new RangeError(`Cannot decode: ${count} elements exceed the remaining bytes`);
      const elements: unknown[] = [];
      for (let j = 0; j < count; j++) elements.push(r.readValue());
      out.push({ name, mode: modeByte === 0 ? 'split' : 'union', elements });
    }
    if (r.remaining !== 0) throw new RangeError(`Cannot decode: ${r.remaining} trailing bytes`);
    return out;
  } catch (err) {
    throw new CheckpointCorruptedError('malformed', `${WHAT}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }
}
