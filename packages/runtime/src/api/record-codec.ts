// The record-codec hook: an operator whose output has a known, fixed type (SQL rows, whose row type the planner
// knows) can write its records to the network in a layout compiled for that type instead of the self-describing
// generic value codec, which spends a tag per value, a shape table per batch and a slow path for bigints.
//
// The writer and reader are described structurally (the public methods of `@runnel/codec`'s BinaryWriter and
// BinaryReader that a codec may use) so that a package implementing a codec needs neither a dependency on
// `@runnel/codec` nor access to its internals, and so that the exchange keeps the freedom to change the classes
// behind them. The channel writes and reads records through the same BinaryWriter/BinaryReader as always; the
// element framing (tag, timestamp) around each record is unchanged.

/**
 * What a {@link RecordCodec} writes into: the network buffer of one channel (`@runnel/codec`'s BinaryWriter).
 * Numbers are little-endian, varints unsigned LEB128, strings and byte arrays prefixed by their byte length.
 *
 * @beta
 */
export interface CodecWriter {
  /** Writes one byte (`v & 0xff`). */
  writeUint8(v: number): void;
  /** Writes a 32-bit signed integer. */
  writeInt32(v: number): void;
  /** Writes a 32-bit unsigned integer. */
  writeUint32(v: number): void;
  /** Writes an IEEE 754 double (keeps -0, NaN, ±Infinity). */
  writeFloat64(v: number): void;
  /** Writes an integer in [0, 2^53) as a varint (1 byte below 128); throws a RangeError for anything else. */
  writeVarUint(v: number): void;
  /** Writes a string as its UTF-8 byte length and bytes. */
  writeString(s: string): void;
  /** Writes a byte array as its length and bytes. */
  writeBytes(b: Uint8Array): void;
  /** Writes any plain-data value in the generic tagged encoding (the fallback for values of no known type). */
  writeValue(v: unknown): void;
}

/**
 * What a {@link RecordCodec} reads from: the received network buffer (`@runnel/codec`'s BinaryReader). Every read
 * is bounds-checked: truncated or malformed input raises a RangeError.
 *
 * @beta
 */
export interface CodecReader {
  /** Reads one unsigned byte. */
  readUint8(): number;
  /** Reads a 32-bit signed integer. */
  readInt32(): number;
  /** Reads a 32-bit unsigned integer. */
  readUint32(): number;
  /** Reads an IEEE 754 double. */
  readFloat64(): number;
  /** Reads a varint (below 2^53). */
  readVarUint(): number;
  /** Reads a string written by {@link CodecWriter.writeString}. */
  readString(): string;
  /** Reads a byte array written by {@link CodecWriter.writeBytes}: a copy, independent of the buffer. */
  readBytes(): Uint8Array;
  /** A value written by {@link CodecWriter.writeValue}. */
  readValue(): unknown;
}

/**
 * Writes and reads the records of one operator's main output on the network, in place of the generic value codec
 * (set with `SingleOutputStreamOperator.setRecordCodec`).
 *
 * Contract: `read` consumes exactly the bytes `write` produced and returns an equal record (a fresh object: the
 * consumer must not share the producer's mutable objects). Every worker thread rebuilds the job from its module,
 * so producer and consumer use codecs created by the same code; a codec must therefore not depend on anything
 * that differs between threads. `write` may throw for a record it cannot represent; the task then fails with
 * that error, as for a record the generic codec rejects.
 *
 * @beta
 */
export interface RecordCodec<T> {
  /** Appends one record to the channel's buffer (after the runtime's element tag and timestamp). */
  write(w: CodecWriter, value: T): void;
  /** Reads back one record that `write` wrote, as a new object. */
  read(r: CodecReader): T;
}
