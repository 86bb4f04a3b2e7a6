// The canonical keyed-state file: the entries (state name, key, namespace, value) of the key groups one subtask
// owned, one independently decodable block per key group, so that a restoring subtask at another parallelism can
// decode only the key groups it now owns (the index says where each block is).
//
//   file   := header block* footer
//   header := "RNKG" | u16 version=1 | u16 flags=0 | u8 len | "runnel.generic" | u16 1 | u32 sealedCrc32(header)
//   block  := u32 keyGroup | u32 payloadLength | payload | u32 sealedCrc32(keyGroup..payload)
//   payload:= varuint entryCount, then per entry: stateRef, key, namespace, value
//             stateRef = varuint 0 + string name (first use in this block) | varuint (1 + id of an earlier name)
//             key/namespace/value in the generic tagged codec; the codec's shape table restarts per block
//   footer := u32 0xFFFFFFFF | u32 blockCount | u32 sealedCrc32(previous 8 bytes)
//
// The footer lets a sequential reader (no index) detect a file cut at a block boundary; the per-block CRC lets an
// indexed reader trust a block it reads on its own, even without the whole-file checksum of the state handle.

import type { KeyedStateEntry, KeyGroupEntries, StateNamespace } from '@runnel/api';
import { BinaryReader, BinaryWriter, GENERIC_SERIALIZER_ID } from '@runnel/codec';
import { ByteBuffer } from './byte-buffer.js';
import { hex32, sealedCrc32 } from './checksum.js';
import { readFileHeader, writeFileHeader } from './file-header.js';
import { CheckpointCorruptedError } from '../errors.js';

/**
 * Magic of keyed-state files.
 *
 * @public
 */
export const KEY_GROUPS_MAGIC = 'RNKG';

/**
 * Current (and only) version of the keyed-state file format.
 *
 * @public
 */
export const KEY_GROUPS_FORMAT_VERSION = 1;

const FOOTER_MARK = 0xffffffff;
const MAX_KEY_GROUP = 0xfffffffe;
const WHAT = 'keyed-state file';

/**
 * Where each key group's block lies in a keyed-state file: `[keyGroup, offset, length]`, in file order.
 *
 * @public
 */
export type KeyGroupIndex = [keyGroup: number, offset: number, length: number][];

/**
 * An encoded keyed-state file and its index.
 *
 * @public
 */
export interface EncodedKeyGroups {
  readonly bytes: Uint8Array;
  readonly index: KeyGroupIndex;
  /** Number of entries written (all key groups). */
  readonly entryCount: number;
}

/**
 * Incremental encoder of a keyed-state file: `add` key groups one at a time (as a backend produces them), then
 * `finish`. Synchronous; one reusable codec writer for all blocks.
 *
 * @public
 */
export class KeyGroupsEncoder {
  private readonly out: ByteBuffer;
  private readonly payload = new BinaryWriter();
  private readonly names = new Map<string, number>();
  private readonly seen = new Set<number>();
  private index: KeyGroupIndex = [];
  private entries = 0;
  private finished = false;

  /** @param initialCapacity - initial size of the output buffer in bytes (it doubles as needed). */
  constructor(initialCapacity = 64 * 1024) {
    this.out = new ByteBuffer(initialCapacity);
    this.writeHeader();
  }

  private writeHeader(): void {
    writeFileHeader(this.out, KEY_GROUPS_MAGIC, KEY_GROUPS_FORMAT_VERSION, { id: GENERIC_SERIALIZER_ID, version: 1 });
  }

  /**
   * Starts a new file in the same buffers, which keep their grown capacity: a task that captures state every
   * checkpoint reuses one encoder instead of growing fresh buffers to the state's size each time (megabytes of
   * garbage per capture, which pulls major collections of a large heap forward). The bytes returned by an earlier
   * `finish()` are overwritten: copy them first. The index returned earlier stays valid.
   */
  reset(): void {
    this.out.clear();
    this.payload.reset();
    this.pendingEntries.reset();
    this.names.clear();
    this.seen.clear();
    this.index = [];
    this.entries = 0;
    this.finished = false;
    this.group = -1;
    this.groupEntries = 0;
    this.writeHeader();
  }

  /**
   * Appends the block of one key group.
   *
   * @throws RangeError for an invalid or repeated key group; TypeError for values the generic codec cannot encode
   *   (the encoder stays usable: nothing of the failed group was written).
   */
  add(group: KeyGroupEntries): void {
    if (this.finished) throw new Error('KeyGroupsEncoder: add() after finish()');
    const kg = group.keyGroup;
    if (!Number.isInteger(kg) || kg < 0 || kg > MAX_KEY_GROUP) throw new RangeError(`invalid key group ${kg}`);
    if (this.seen.has(kg)) throw new RangeError(`key group ${kg} was added twice`);
    const w = this.payload;
    const names = this.names;
    w.reset();
    names.clear();
    const entries = group.entries;
    const n = entries.length;
    w.writeVarUint(n);
    let i = 0;
    try {
      for (; i < n; i++) {
        const e = entries[i]!;
        const id = names.get(e.state);
        if (id === undefined) {
          names.set(e.state, names.size);
          w.writeVarUint(0);
          w.writeString(e.state);
        } else {
          w.writeVarUint(id + 1);
        }
        w.writeValue(e.key);
        w.writeValue(e.namespace);
        w.writeValue(e.value);
      }
    } catch (err) {
      w.reset();
      const e = entries[i];
      throw new TypeError(
        `cannot encode entry ${i} of key group ${kg} (state "${e?.state}"): ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    const payload = w.view();
    if (payload.length > 0xffffffff) throw new RangeError(`key group ${kg} encodes to ${payload.length} bytes; a block holds at most 4 GiB`);
    const out = this.out;
    const start = out.length;
    out.u32(kg);
    out.u32(payload.length);
    out.bytes(payload);
    out.u32(sealedCrc32(out.view(start, out.length)));
    w.reset();
    this.seen.add(kg);
    this.entries += n;
    this.index.push([kg, start, out.length - start]);
  }

  private group = -1;
  private groupEntries = 0;

  /** Opens the block of a key group for `entry` calls (the streaming form of `add`). */
  beginKeyGroup(keyGroup: number): void {
    if (this.finished) throw new Error('KeyGroupsEncoder: beginKeyGroup() after finish()');
    if (this.group >= 0) throw new Error(`KeyGroupsEncoder: key group ${this.group} is still open`);
    if (!Number.isInteger(keyGroup) || keyGroup < 0 || keyGroup > MAX_KEY_GROUP) throw new RangeError(`invalid key group ${keyGroup}`);
    if (this.seen.has(keyGroup)) throw new RangeError(`key group ${keyGroup} was added twice`);
    this.group = keyGroup;
    this.seen.add(keyGroup);
    this.groupEntries = 0;
    this.payload.reset();
    this.names.clear();
    this.pendingEntries.reset();
  }

  /** One entry of the open key group; values are encoded now (live objects may be passed). */
  entry(state: string, key: unknown, namespace: unknown, value: unknown): void {
    const w = this.pendingEntries;
    const id = this.names.get(state);
    if (id === undefined) {
      this.names.set(state, this.names.size);
      w.writeVarUint(0);
      w.writeString(state);
    } else {
      w.writeVarUint(id + 1);
    }
    w.writeValue(key);
    w.writeValue(namespace);
    w.writeValue(value);
    this.groupEntries++;
  }

  /** Closes the open key group; an empty group writes nothing. */
  endKeyGroup(): void {
    const kg = this.group;
    if (kg < 0) throw new Error('KeyGroupsEncoder: endKeyGroup() without beginKeyGroup()');
    this.group = -1;
    const n = this.groupEntries;
    if (n === 0) return;
    const head = this.payload;
    head.reset();
    head.writeVarUint(n);
    const count = head.view();
    const body = this.pendingEntries.view();
    const out = this.out;
    const start = out.length;
    out.u32(kg);
    out.u32(count.length + body.length);
    out.bytes(count);
    out.bytes(body);
    out.u32(sealedCrc32(out.view(start, out.length)));
    head.reset();
    this.pendingEntries.reset();
    this.entries += n;
    this.index.push([kg, start, out.length - start]);
  }

  private readonly pendingEntries = new BinaryWriter();

  /**
   * Writes the footer and returns the file image (a view of the encoder's buffer, which may be larger) and its
   * index; the encoder cannot be used afterwards.
   */
  finish(): EncodedKeyGroups {
    if (this.finished) throw new Error('KeyGroupsEncoder: finish() called twice');
    this.finished = true;
    const out = this.out;
    const start = out.length;
    out.u32(FOOTER_MARK);
    out.u32(this.index.length);
    out.u32(sealedCrc32(out.view(start, out.length)));
    // A view, not a copy: state files can be hundreds of MB and the bytes are written out and dropped.
    return { bytes: out.view(), index: this.index, entryCount: this.entries };
  }
}

/**
 * Encodes the entries of key groups (in the order given, each key group at most once) as a keyed-state file.
 *
 * @public
 */
export function encodeKeyGroups(groups: Iterable<KeyGroupEntries>): EncodedKeyGroups {
  const enc = new KeyGroupsEncoder();
  for (const g of groups) enc.add(g);
  return enc.finish();
}

/**
 * {@link encodeKeyGroups} for backends that produce key groups asynchronously (LevelDB iterators). Each group is
 * still encoded synchronously; awaiting happens only between groups.
 *
 * @public
 */
export async function encodeKeyGroupsAsync(
  groups: AsyncIterable<KeyGroupEntries> | Iterable<KeyGroupEntries>,
): Promise<EncodedKeyGroups> {
  const enc = new KeyGroupsEncoder();
  for await (const g of groups) enc.add(g);
  return enc.finish();
}

/**
 * Decodes a keyed-state file. With `index`, only the blocks it lists are read (and only those whose key group
 * passes `filter`): a restoring subtask passes the filter of the key-group range it owns. `index` must be the
 * complete index the encoder returned (the footer's block count is checked against it). Without `index` the file
 * is scanned from the start.
 *
 * @throws CheckpointCorruptedError (without a file location: callers add it) for any damage: bad header, a block
 *   that does not match the index, a block CRC mismatch, undecodable values, truncation, trailing bytes.
 * @public
 */
export function decodeKeyGroups(
  bytes: Uint8Array,
  index?: readonly (readonly [number, number, number])[],
  filter?: (keyGroup: number) => boolean,
): KeyGroupEntries[] {
  const header = readFileHeader(bytes, KEY_GROUPS_MAGIC, KEY_GROUPS_FORMAT_VERSION, WHAT);
  const s = header.serializer;
  if (s.id !== GENERIC_SERIALIZER_ID || s.version !== 1) {
    throw new CheckpointCorruptedError('unsupported-version', `${WHAT}: written with serializer ${s.id} v${s.version}, this build reads ${GENERIC_SERIALIZER_ID} v1`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = new BinaryReader();
  const out: KeyGroupEntries[] = [];
  if (index !== undefined) {
    // The footer is cheap to check and catches truncation and appended bytes even when no block is read.
    checkFooter(bytes, dv, bytes.length - 12, index.length, header.length);
    for (const [kg, offset, length] of index) {
      if (filter !== undefined && !filter(kg)) continue;
      if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < header.length || length < 12) {
        throw new CheckpointCorruptedError('malformed', `${WHAT}: index entry for key group ${kg} has an impossible position (offset ${offset}, length ${length})`);
      }
      if (offset + length > bytes.length) {
        throw new CheckpointCorruptedError('truncated', `${WHAT}: block of key group ${kg} at offset ${offset} (+${length}) lies beyond the end (${bytes.length} bytes)`);
      }
      out.push(decodeBlock(bytes, dv, reader, offset, kg, length));
    }
    return out;
  }
  let pos = header.length;
  let blocks = 0;
  for (;;) {
    if (pos + 4 > bytes.length) {
      throw new CheckpointCorruptedError('truncated', `${WHAT}: ends at ${bytes.length} bytes without a footer (after ${blocks} blocks)`);
    }
    const kg = dv.getUint32(pos, true);
    if (kg === FOOTER_MARK) {
      if (pos + 12 > bytes.length) throw new CheckpointCorruptedError('truncated', `${WHAT}: footer truncated`);
      if (pos + 12 !== bytes.length) throw new CheckpointCorruptedError('oversized', `${WHAT}: ${bytes.length - pos - 12} trailing bytes after the footer`);
      checkFooter(bytes, dv, pos, blocks, header.length);
      return out;
    }
    if (pos + 8 > bytes.length) throw new CheckpointCorruptedError('truncated', `${WHAT}: block header at offset ${pos} truncated`);
    const length = 12 + dv.getUint32(pos + 4, true);
    if (filter === undefined || filter(kg)) {
      out.push(decodeBlock(bytes, dv, reader, pos, undefined, undefined));
    } else if (pos + length > bytes.length) {
      throw new CheckpointCorruptedError('truncated', `${WHAT}: block of key group ${kg} at offset ${pos} (+${length}) lies beyond the end (${bytes.length} bytes)`);
    }
    pos += length;
    blocks++;
  }
}

function checkFooter(bytes: Uint8Array, dv: DataView, pos: number, blocks: number, headerLength: number): void {
  if (pos < headerLength) throw new CheckpointCorruptedError('truncated', `${WHAT}: ${bytes.length} bytes is too short for a footer`);
  if (dv.getUint32(pos, true) !== FOOTER_MARK) {
    throw new CheckpointCorruptedError('malformed', `${WHAT}: no footer at the end (truncated, or bytes appended)`);
  }
  const stored = dv.getUint32(pos + 8, true);
  const actual = sealedCrc32(bytes.subarray(pos, pos + 8));
  if (stored !== actual) throw new CheckpointCorruptedError('checksum-mismatch', `${WHAT}: footer checksum mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})`);
  const count = dv.getUint32(pos + 4, true);
  if (count !== blocks) throw new CheckpointCorruptedError('malformed', `${WHAT}: footer says ${count} blocks, found ${blocks}`);
}

function decodeBlock(
  bytes: Uint8Array,
  dv: DataView,
  reader: BinaryReader,
  offset: number,
  expectedKeyGroup: number | undefined,
  expectedLength: number | undefined,
): KeyGroupEntries {
  const kg = dv.getUint32(offset, true);
  if (expectedKeyGroup !== undefined && kg !== expectedKeyGroup) {
    throw new CheckpointCorruptedError('malformed', `${WHAT}: the index puts key group ${expectedKeyGroup} at offset ${offset}, but the block there holds key group ${kg}`);
  }
  const payloadLength = dv.getUint32(offset + 4, true);
  const length = 12 + payloadLength;
  if (expectedLength !== undefined && length !== expectedLength) {
    throw new CheckpointCorruptedError('malformed', `${WHAT}: block of key group ${kg} is ${length} bytes, the index says ${expectedLength}`);
  }
  if (offset + length > bytes.length) {
    throw new CheckpointCorruptedError('truncated', `${WHAT}: block of key group ${kg} at offset ${offset} (+${length}) lies beyond the end (${bytes.length} bytes)`);
  }
  const end = offset + 8 + payloadLength;
  const stored = dv.getUint32(end, true);
  const actual = sealedCrc32(bytes.subarray(offset, end));
  if (stored !== actual) {
    throw new CheckpointCorruptedError('checksum-mismatch', `${WHAT}: block of key group ${kg} at offset ${offset}: checksum mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})`);
  }
  try {
    reader.reset(bytes.subarray(offset + 8, end));
    const n = reader.readVarUint();
    const names: string[] = [];
    const entries: KeyedStateEntry[] = [];
    for (let i = 0; i < n; i++) {
      const ref = reader.readVarUint();
      let state: string;
      if (ref === 0) {
        state = reader.readString();
        names.push(state);
      } else {
        const known = names[ref - 1];
        if (known === undefined) throw new RangeError(`Cannot decode: unknown state reference ${ref}`);
        state = known;
      }
      const key = reader.readValue();
      const namespace = reader.readValue();
      if (typeof namespace !== 'string' && typeof namespace !== 'number') {
        throw new RangeError(`Cannot decode: namespace of type ${namespace === null ? 'null' : typeof namespace}`);
      }
      const value = reader.readValue();
      entries.push({ state, key, namespace: namespace as StateNamespace, value });
    }
    if (reader.remaining !== 0) throw new RangeError(`Cannot decode: ${reader.remaining} trailing bytes`);
    return { keyGroup: kg, entries };
  } catch (err) {
    if (err instanceof CheckpointCorruptedError) throw err;
    throw new CheckpointCorruptedError('malformed', `${WHAT}: block of key group ${kg}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }
}
