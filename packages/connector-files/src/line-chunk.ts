// Reads a file in chunks, asynchronously, cut at line boundaries. Lines are found on bytes (0x0A) rather than on
// decoded text: a newline byte never occurs inside a multi-byte UTF-8 sequence, so a chunk that ends in the middle
// of a character simply carries the partial line (as bytes) into the next chunk, and byte offsets stay exact for
// snapshots. Each chunk starts with the unfinished tail of the previous one; the read size grows with that tail
// so that a line longer than the chunk size costs amortised linear copying, not quadratic.
import type { FileHandle } from 'node:fs/promises';

/**
 * A block of a file: `buf[0, end)` holds complete lines; `buf[end, buf.length)` is an unfinished tail that the next
 * chunk repeats. In the final chunk `end` covers everything (a last line without newline is complete).
 *
 * @internal
 */
export interface LineChunk {
  readonly buf: Buffer;
  /** File offset of `buf[0]`. */
  readonly fileOffset: number;
  readonly end: number;
  /** True when the file ended: no chunk follows. */
  readonly final: boolean;
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/**
 * Reads the chunk that follows `previous` (or the first chunk at `startOffset`).
 *
 * @internal
 */
export async function readLineChunk(
  handle: FileHandle,
  previous: LineChunk | undefined,
  startOffset: number,
  chunkSize: number,
): Promise<LineChunk> {
  const tail = previous ? previous.buf.subarray(previous.end) : EMPTY;
  const fileOffset = previous ? previous.fileOffset + previous.end : startOffset;
  const readSize = Math.max(chunkSize, tail.length);
  const buf = Buffer.allocUnsafe(tail.length + readSize);
  tail.copy(buf, 0);
  const { bytesRead } = await handle.read(buf, tail.length, readSize, fileOffset + tail.length);
  const length = tail.length + bytesRead;
  const data = buf.subarray(0, length);
  if (bytesRead === 0) return { buf: data, fileOffset, end: length, final: true };
  return { buf: data, fileOffset, end: data.lastIndexOf(NEWLINE) + 1, final: false };
}
