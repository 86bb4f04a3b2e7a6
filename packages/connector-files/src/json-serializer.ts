// Versioned serializers for the source's splits and enumerator state (the JSON helper is shared with the sink's
// committables and writer state, see file-sink-state.ts). The bytes are `@runnel/codec`'s JSON
// (readable: a savepoint can be inspected by hand; splits are tiny, so speed does not matter), but each format has
// its own id and version so that the compatibility checker can tell a split from any other JSON value, and
// `deserialize` validates the shape so that a corrupt or foreign payload fails loudly at restore.
import type { VersionedSerializer } from '@runnel/api';
import { jsonSerializer } from '@runnel/codec';
import type { FileEnumeratorState, FileSplit } from './file-split.js';

/** The version of `@runnel/codec`'s JSON encoding that version 1 of these formats is written with. */
const JSON_ENCODING_VERSION = 1;

/**
 * A serializer that writes values as UTF-8 JSON under its own id and validates them when reading.
 *
 * @internal
 */
export function jsonVersionedSerializer<T>(id: string, validate: (value: unknown) => T): VersionedSerializer<T> {
  return {
    id,
    version: 1,
    serialize(value: T): Uint8Array {
      return jsonSerializer.serialize(value);
    },
    deserialize(bytes: Uint8Array, version: number): T {
      if (version !== 1) throw new Error(`${id}: cannot read version ${version} (this serializer knows version 1)`);
      return validate(jsonSerializer.deserialize(bytes, JSON_ENCODING_VERSION));
    },
  };
}

function fail(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}

function validateSplit(value: unknown, id: string): FileSplit {
  const v = value as Partial<FileSplit> | null;
  if (typeof v !== 'object' || v === null) fail(id, 'not an object');
  if (typeof v.splitId !== 'string' || typeof v.path !== 'string') fail(id, 'splitId and path must be strings');
  if (!Number.isSafeInteger(v.offset) || (v.offset as number) < 0) fail(id, 'offset must be a non-negative integer');
  if (!Number.isSafeInteger(v.line) || (v.line as number) < 1) fail(id, 'line must be a positive integer');
  return { splitId: v.splitId, path: v.path, offset: v.offset as number, line: v.line as number };
}

const SPLIT_ID = 'runnel.files.split';
const STATE_ID = 'runnel.files.enumerator-state';

/**
 * Serializer of {@link FileSplit} (`runnel.files.split`, version 1).
 *
 * @public
 */
export const fileSplitSerializer: VersionedSerializer<FileSplit> = jsonVersionedSerializer(SPLIT_ID, (v) =>
  validateSplit(v, SPLIT_ID),
);

/**
 * Serializer of {@link FileEnumeratorState} (`runnel.files.enumerator-state`, version 1).
 *
 * @public
 */
export const fileEnumeratorStateSerializer: VersionedSerializer<FileEnumeratorState> = jsonVersionedSerializer(
  STATE_ID,
  (value) => {
    const v = value as Partial<FileEnumeratorState> | null;
    if (typeof v !== 'object' || v === null) fail(STATE_ID, 'not an object');
    if (!Array.isArray(v.pendingSplits) || !Array.isArray(v.discoveredPaths)) fail(STATE_ID, 'missing arrays');
    if (!v.discoveredPaths.every((p) => typeof p === 'string')) fail(STATE_ID, 'discoveredPaths must be strings');
    if (typeof v.initialDiscoveryDone !== 'boolean') fail(STATE_ID, 'initialDiscoveryDone must be a boolean');
    return {
      pendingSplits: v.pendingSplits.map((s) => validateSplit(s, STATE_ID)),
      discoveredPaths: v.discoveredPaths.slice(),
      initialDiscoveryDone: v.initialDiscoveryDone,
    };
  },
);
