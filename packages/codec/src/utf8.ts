// UTF-8 helpers on Node Buffers. Node's `Buffer.prototype.utf8Write`/`utf8Slice` are the C++ bindings behind
// `buf.write`/`buf.toString` without their argument normalisation; they have existed since Node 0.x and are what
// protobufjs and msgpack use. Measured here they beat `TextEncoder.encodeInto` (which needs a `subarray` view per
// call) and `TextDecoder.decode`. Where they are missing (other runtimes), the standard encoders take over.

interface BufferInternals {
  utf8Write(s: string, offset: number, length?: number): number;
  utf8Slice(start: number, end: number): string;
}

const internals = Buffer.prototype as unknown as Partial<BufferInternals>;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `s` as UTF-8 at `offset` (the caller guarantees room for `3 * s.length` bytes); returns bytes written.
 * Lone surrogates become U+FFFD.
 *
 * @internal
 */
export const utf8Write: (buf: Buffer, s: string, offset: number) => number =
  typeof internals.utf8Write === 'function'
    ? (buf, s, offset) => (buf as unknown as BufferInternals).utf8Write(s, offset)
    : (buf, s, offset) => encoder.encodeInto(s, buf.subarray(offset)).written;

/**
 * Decodes the UTF-8 bytes `buf[start, end)`.
 *
 * @internal
 */
export const utf8Slice: (buf: Buffer, start: number, end: number) => string =
  typeof internals.utf8Slice === 'function'
    ? (buf, start, end) => (buf as unknown as BufferInternals).utf8Slice(start, end)
    : (buf, start, end) => decoder.decode(buf.subarray(start, end));

/**
 * Exact UTF-8 byte length of `s` (lone surrogates counted as the 3 bytes of U+FFFD, as `utf8Write` writes them).
 *
 * @internal
 */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
