// The one-byte tags of the generic value encoding (`BinaryWriter.writeValue`). They are part of the persisted
// format `runnel.generic` version 1: never renumber a tag; add new ones in the free range 0x10..0x7f.

/** `undefined` (no payload). @internal */
export const TAG_UNDEFINED = 0x00;
/** `null` (no payload). @internal */
export const TAG_NULL = 0x01;
/** `false` (no payload). @internal */
export const TAG_FALSE = 0x02;
/** `true` (no payload). @internal */
export const TAG_TRUE = 0x03;
/** Integer in the safe range as a zig-zag varint. @internal */
export const TAG_INT = 0x04;
/** Any other number as a little-endian IEEE 754 double (keeps -0, NaN, ±Infinity). @internal */
export const TAG_FLOAT64 = 0x05;
/** String: varint byte length + UTF-8. @internal */
export const TAG_STRING = 0x06;
/** BigInt: sign byte + varint byte length + little-endian magnitude. @internal */
export const TAG_BIGINT = 0x07;
/** Date: its time value as a double (NaN for an invalid date). @internal */
export const TAG_DATE = 0x08;
/** Uint8Array / Buffer: varint length + bytes. @internal */
export const TAG_BYTES = 0x09;
/** Array: varint length + that many values. @internal */
export const TAG_ARRAY = 0x0a;
/** Plain object with a new shape: varint key count + keys, then the values; assigns the next shape id. @internal */
export const TAG_OBJECT_DEF = 0x0b;
/** Plain object with a shape defined earlier in the batch: varint shape id, then the values. @internal */
export const TAG_OBJECT_REF = 0x0c;
/** Map: varint size + key/value pairs. @internal */
export const TAG_MAP = 0x0d;
/** Set: varint size + values. @internal */
export const TAG_SET = 0x0e;
/** Prefix: the object that follows (TAG_OBJECT_DEF/REF) has a null prototype. @internal */
export const TAG_NULL_PROTO = 0x0f;
/**
 * Tags 0x80..0xff carry a small non-negative integer (0..127) in their low 7 bits: counts, small keys and enum
 * codes then cost one byte instead of two.
 *
 * @internal
 */
export const TAG_FIXINT = 0x80;

/**
 * Maximum nesting of containers (arrays, objects, maps, sets) that `writeValue`/`readValue` accept. It bounds the
 * recursion (so a cyclic structure fails fast instead of overflowing the stack) and protects readers from hostile
 * input.
 *
 * @public
 */
export const MAX_VALUE_DEPTH = 1000;
