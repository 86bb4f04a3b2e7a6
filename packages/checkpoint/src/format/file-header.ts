// The common header of the binary state-file formats: a magic, a format version, and the id and version of the
// serializer the values were written with, protected by their own CRC so that a damaged header is reported as such
// (not as a confusing error further in).
//
//   magic[4] | u16 formatVersion | u16 flags (0) | u8 idLength | id (ASCII) | u16 serializerVersion | u32 check
//
// `check` values in all binary formats are sealedCrc32 (CRC-32 through a non-linear mixer; see checksum.ts).
//
// All integers are little-endian.

import type { SerializerSnapshot } from '@runnel/api';
import { ByteBuffer } from './byte-buffer.js';
import { hex32, sealedCrc32 } from './checksum.js';
import { CheckpointCorruptedError } from '../errors.js';

/** @internal */
export interface FileHeader {
  readonly formatVersion: number;
  readonly serializer: SerializerSnapshot;
  /** Bytes taken by the header. */
  readonly length: number;
}

/** @internal */
export function writeFileHeader(out: ByteBuffer, magic: string, formatVersion: number, serializer: SerializerSnapshot): void {
  const start = out.length;
  for (let i = 0; i < 4; i++) out.u8(magic.charCodeAt(i));
  out.u16(formatVersion);
  out.u16(0);
  const id = Buffer.from(serializer.id, 'latin1');
  if (id.length > 255 || !/^[\x20-\x7e]+$/.test(serializer.id)) throw new RangeError(`serializer id must be 1-255 printable ASCII characters: "${serializer.id}"`);
  out.u8(id.length);
  out.bytes(id);
  out.u16(serializer.version);
  out.u32(sealedCrc32(out.view(start, out.length)));
}

/**
 * Reads and checks a header. `what` names the format in error messages (e.g. `keyed-state file`).
 *
 * @internal
 */
export function readFileHeader(bytes: Uint8Array, magic: string, supportedVersion: number, what: string): FileHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw new CheckpointCorruptedError('truncated', `${what}: ${bytes.length} bytes is too short for a header`);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== magic.charCodeAt(i)) {
      throw new CheckpointCorruptedError('malformed', `${what}: bad magic ${describeMagic(bytes)} (expected "${magic}")`);
    }
  }
  if (bytes.length < 9) throw new CheckpointCorruptedError('truncated', `${what}: header truncated at ${bytes.length} bytes`);
  const idLength = bytes[8]!;
  const length = 9 + idLength + 2 + 4;
  if (bytes.length < length) throw new CheckpointCorruptedError('truncated', `${what}: header truncated at ${bytes.length} of ${length} bytes`);
  const stored = dv.getUint32(length - 4, true);
  const actual = sealedCrc32(bytes.subarray(0, length - 4));
  if (stored !== actual) {
    throw new CheckpointCorruptedError('checksum-mismatch', `${what}: header checksum mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})`);
  }
  const formatVersion = dv.getUint16(4, true);
  if (formatVersion !== supportedVersion) {
    throw new CheckpointCorruptedError('unsupported-version', `${what}: format version ${formatVersion} is not supported (this build reads version ${supportedVersion})`);
  }
  const flags = dv.getUint16(6, true);
  if (flags !== 0) throw new CheckpointCorruptedError('unsupported-version', `${what}: unknown flags 0x${flags.toString(16)}`);
  const id = Buffer.from(bytes.buffer, bytes.byteOffset + 9, idLength).toString('latin1');
  const version = dv.getUint16(9 + idLength, true);
  return { formatVersion, serializer: { id, version }, length };
}

function describeMagic(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.length));
  return /^[\x20-\x7e]*$/.test(head.toString('latin1')) ? `"${head.toString('latin1')}"` : `0x${head.toString('hex')}`;
}
