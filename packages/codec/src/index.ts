// `@runnel/codec`: binary codecs for records that cross worker threads in batches (BinaryWriter/BinaryReader)
// and serializers for persisted values (generic binary and JSON), all identified by id and version.

export { BinaryWriter } from './binary-writer.js';
export { BinaryReader } from './binary-reader.js';
export { MAX_VALUE_DEPTH } from './value-tags.js';
export { encodeValue, decodeValue } from './value-codec.js';
export { genericSerializer, GENERIC_SERIALIZER_ID } from './generic-serializer.js';
export { jsonSerializer, jsonVersionedSerializer, JSON_SERIALIZER_ID } from './json-serializer.js';
