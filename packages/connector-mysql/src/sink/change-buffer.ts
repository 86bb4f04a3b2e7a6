// The changes a sink writer holds between flushes (at-least-once) or checkpoints (exactly-once), staged packed: each
// row is converted to its bound values when it is written and packed at once into one reused byte buffer
// (packed-values.ts), so neither the Row nor its values outlive the write — staging rows as JS objects until the
// commit made the garbage collector copy and promote every one of them (43 % of the exactly-once sink's CPU).
// With a primary key the buffer keeps one change per key, the last (Flink's reduced buffer): a record is the key's
// values, then (upserts) the row's; an open-addressing hash table over the key bytes (typed arrays, no JS object
// per key) finds a key's slot, and a later upsert (+I, +U) or delete (-D) of that key re-points the slot to the new
// record — so a key updated many times between checkpoints is written once, and a -D after a +I becomes a delete.
// Dead records are compacted away when they outweigh the live ones. -U rows carry only a before-image and are
// dropped (the +U that follows replaces the row). Without a key it keeps inserts in order, and refuses updates and
// deletes (an append sink cannot apply them). Rows written before the table's column types are known (the converter
// is built from the server's metadata) wait, unconverted, until `setConverter`.
import { RowKind, type Row } from '@runnel/api';
import type { MySqlBindValue } from '../types/mysql-types.js';
import type { MySqlChangeBatch } from './mysql-statements.js';
import { PackedWriter } from './packed-values.js';
import type { RowConverter } from './row-converter.js';

const UPSERT = 1;
const DELETE = 2;
/** Past this, the staging buffer is given back after a drain instead of kept for the next batch. */
const KEEP_BYTES = 16 * 1024 * 1024;
/** Offsets are int32. */
const MAX_STAGED_BYTES = 0x7fffffff;

/**
 * A reducing buffer of changes, staged packed.
 *
 * @internal
 */
export class ChangeBuffer {
  private packed = new PackedWriter();
  /** Per slot (a key, or an appended row): where its record starts, where its key ends, where it ends. */
  private starts = new Int32Array(1024);
  private keyEnds = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private kinds = new Uint8Array(1024);
  private slots = 0;
  private deleted = 0;
  private deadBytes = 0;
  /** Open addressing: slot + 1, 0 for empty; at most half full. */
  private table = new Int32Array(2048);
  /** The row being converted (reused; a conversion error leaves the staged rows untouched). */
  private readonly scratch: MySqlBindValue[];
  private pending: Row[] = [];
  private converter: RowConverter | undefined;
  private readonly keyed: boolean;

  constructor(
    private readonly width: number,
    private readonly keyIndexes: readonly number[],
    private readonly where: string,
  ) {
    this.scratch = new Array<MySqlBindValue>(width).fill(null);
    this.keyed = keyIndexes.length > 0;
  }

  /** Changes held (after reduction), converted or waiting for the converter. */
  get size(): number {
    return this.slots + this.pending.length;
  }

  /** Whether rows are converted as they come (the converter is set). */
  get ready(): boolean {
    return this.converter !== undefined;
  }

  /** Sets the converter and converts the rows that waited for it (a conversion error is thrown; the rest wait). */
  setConverter(converter: RowConverter): void {
    this.converter = converter;
    const pending = this.pending;
    this.pending = [];
    for (let i = 0; i < pending.length; i++) {
      try {
        this.stage(pending[i]!, converter);
      } catch (e) {
        this.pending = pending.slice(i + 1);
        throw e;
      }
    }
  }

  add(r: Row): void {
    if (!this.keyed) {
      if (r.kind !== RowKind.INSERT) {
        throw new Error(`${this.where}: a ${['+I', '-U', '+U', '-D'][r.kind]} row reached a sink without a primary key, which can only append inserts; declare the table's PRIMARY KEY to upsert`);
      }
    } else if (r.kind === RowKind.UPDATE_BEFORE) {
      return;
    }
    if (this.converter === undefined) this.pending.push(r);
    else this.stage(r, this.converter);
  }

  /** Takes the staged changes out (copied into buffers of their own; the staging buffer is kept for the next batch). */
  drain(): MySqlChangeBatch {
    if (this.pending.length > 0) throw new Error(`${this.where}: internal error: rows drained before the table's column types were read`);
    const buf = this.packed.buf;
    let rowBytes = 0;
    let deleteBytes = 0;
    for (let s = 0; s < this.slots; s++) {
      if (this.kinds[s] === DELETE) deleteBytes += this.keyEnds[s]! - this.starts[s]!;
      else rowBytes += this.ends[s]! - this.keyEnds[s]!;
    }
    const rows = Buffer.allocUnsafe(rowBytes);
    const deletes = Buffer.allocUnsafe(deleteBytes);
    if (!this.keyed) {
      buf.copy(rows, 0, 0, this.packed.pos);
    } else {
      let r = 0;
      let d = 0;
      for (let s = 0; s < this.slots; s++) {
        if (this.kinds[s] === DELETE) d += buf.copy(deletes, d, this.starts[s]!, this.keyEnds[s]!);
        else r += buf.copy(rows, r, this.keyEnds[s]!, this.ends[s]!);
      }
    }
    const batch: MySqlChangeBatch = {
      width: this.width,
      keyWidth: this.keyIndexes.length,
      rowCount: this.slots - this.deleted,
      deleteCount: this.deleted,
      rows,
      deletes,
    };
    if (this.packed.buf.length > KEEP_BYTES) this.packed = new PackedWriter();
    else this.packed.reset();
    if (this.keyed && this.slots > 0) this.table.fill(0);
    this.slots = 0;
    this.deleted = 0;
    this.deadBytes = 0;
    return batch;
  }

  private stage(r: Row, converter: RowConverter): void {
    const s = this.scratch;
    const p = this.packed;
    const kind = r.kind === RowKind.DELETE ? DELETE : UPSERT;
    // Convert first (a bad value throws before anything is staged), then pack.
    if (kind === DELETE) converter.convertFields(r.fields, this.keyIndexes, s);
    else converter.convertRow(r.fields, s);
    const start = p.pos;
    for (const k of this.keyIndexes) p.write(s[k]!);
    const keyEnd = p.pos;
    if (kind === UPSERT) for (let i = 0; i < this.width; i++) p.write(s[i]!);
    const end = p.pos;
    if (end > MAX_STAGED_BYTES) {
      p.pos = start;
      throw new Error(`${this.where}: more than 2 GiB of changes staged since the last flush or checkpoint; flush or checkpoint more often`);
    }
    if (!this.keyed) {
      this.newSlot(start, keyEnd, end, 0, kind);
      return;
    }
    const buf = p.buf;
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < keyEnd; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const mask = this.table.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const t = this.table[at]!;
      if (t === 0) {
        this.table[at] = this.slots + 1;
        this.newSlot(start, keyEnd, end, h, kind);
        if (this.slots * 2 > this.table.length) this.rehash();
        return;
      }
      const slot = t - 1;
      const os = this.starts[slot]!;
      const ok = this.keyEnds[slot]!;
      if (this.hashes[slot] === h && ok - os === keyEnd - start && buf.compare(buf, os, ok, start, keyEnd) === 0) {
        // The key's earlier record is dead; its slot now points to this one.
        this.deadBytes += this.ends[slot]! - os;
        this.starts[slot] = start;
        this.keyEnds[slot] = keyEnd;
        this.ends[slot] = end;
        if (this.kinds[slot] !== kind) {
          this.deleted += kind === DELETE ? 1 : -1;
          this.kinds[slot] = kind;
        }
        if (this.deadBytes > 1024 * 1024 && this.deadBytes * 2 > p.pos) this.compact();
        return;
      }
    }
  }

  private newSlot(start: number, keyEnd: number, end: number, hash: number, kind: number): void {
    if (this.slots === this.starts.length) {
      const n = this.slots * 2;
      this.starts = grow(this.starts, n);
      this.keyEnds = grow(this.keyEnds, n);
      this.ends = grow(this.ends, n);
      this.hashes = grow(this.hashes, n);
      const kinds = new Uint8Array(n);
      kinds.set(this.kinds);
      this.kinds = kinds;
    }
    const s = this.slots++;
    this.starts[s] = start;
    this.keyEnds[s] = keyEnd;
    this.ends[s] = end;
    this.hashes[s] = hash;
    this.kinds[s] = kind;
    if (kind === DELETE) this.deleted++;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let s = 0; s < this.slots; s++) {
      let at = this.hashes[s]! & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = s + 1;
    }
    this.table = table;
  }

  /** Copies the live records into a fresh buffer, in slot order (slots and the hash table stay as they are). */
  private compact(): void {
    const old = this.packed.buf;
    const next = new PackedWriter(Math.max(64 * 1024, (this.packed.pos - this.deadBytes) * 2));
    for (let s = 0; s < this.slots; s++) {
      const start = this.starts[s]!;
      const at = next.pos;
      next.ensure(this.ends[s]! - start);
      next.pos += old.copy(next.buf, at, start, this.ends[s]!);
      this.keyEnds[s] = at + (this.keyEnds[s]! - start);
      this.ends[s] = next.pos;
      this.starts[s] = at;
    }
    this.packed = next;
    this.deadBytes = 0;
  }
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
