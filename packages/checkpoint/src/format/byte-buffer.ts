// A growable little-endian byte buffer for assembling file images (headers, blocks, trailers). BinaryWriter from
// @runnel/codec encodes values; this one only frames them, which needs raw appends and patching fixed-width
// fields in place, which BinaryWriter does not offer.

/** @internal */
export class ByteBuffer {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(64, initialCapacity));
  }

  get length(): number {
    return this.pos;
  }

  /** Forgets what was written; the capacity stays. */
  clear(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafeSlow(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  /** Overwrites a u32 written earlier (e.g. a length known only afterwards). */
  patchU32(at: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, at);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A view of `[start, end)` of what was written (no copy; valid until the next append). */
  view(start = 0, end = this.pos): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + start, end - start);
  }

  /** An exactly-sized copy of everything written. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.pos);
    out.set(this.view());
    return out;
  }
}
