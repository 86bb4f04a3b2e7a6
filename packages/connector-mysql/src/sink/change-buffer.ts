// The rows a sink writer holds between flushes. With a primary key the buffer keeps one change per key — the last:
// an upsert (+I, +U) or a delete (-D) — so that a key updated many times within a buffer is written once (Flink's
// reduced buffer); -U rows carry only a before-image and are dropped (the +U that follows replaces the row). Without
// a key it keeps inserts in order, and refuses updates and deletes (an append sink cannot apply them).
import { RowKind, type Row } from '@runnel/api';

/**
 * A reducing buffer of changes.
 *
 * @internal
 */
export class ChangeBuffer {
  /** Upsert mode: key → the last change. */
  private readonly byKey = new Map<string, Row>();
  /** Append mode: inserts in order. */
  private readonly inserts: Row[] = [];

  constructor(
    private readonly keyIndexes: readonly number[],
    private readonly where: string,
  ) {}

  get size(): number {
    return this.keyIndexes.length > 0 ? this.byKey.size : this.inserts.length;
  }

  add(r: Row): void {
    if (this.keyIndexes.length === 0) {
      if (r.kind !== RowKind.INSERT) {
        throw new Error(`${this.where}: a ${['+I', '-U', '+U', '-D'][r.kind]} row reached a sink without a primary key, which can only append inserts; declare the table's PRIMARY KEY to upsert`);
      }
      this.inserts.push(r);
      return;
    }
    if (r.kind === RowKind.UPDATE_BEFORE) return;
    this.byKey.set(keyOf(r.fields, this.keyIndexes), r);
  }

  /** Takes the buffered changes out: upserted rows and deleted rows (whole rows; the caller takes the key fields). */
  drain(): { upserts: Row[]; deletes: Row[] } {
    if (this.keyIndexes.length === 0) {
      const upserts = this.inserts.splice(0);
      return { upserts, deletes: [] };
    }
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const r of this.byKey.values()) (r.kind === RowKind.DELETE ? deletes : upserts).push(r);
    this.byKey.clear();
    return { upserts, deletes };
  }
}

/** A key's identity as a string: values tagged by type, so `1`, `1n` and `'1'` stay distinct. */
function keyOf(fields: readonly unknown[], idx: readonly number[]): string {
  if (idx.length === 1) return part(fields[idx[0]!]);
  let s = '';
  for (const i of idx) s += `${part(fields[i])}\u0001`;
  return s;
}

function part(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'bigint':
      return `b${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return v ? 't' : 'f';
    default:
      if (v === null || v === undefined) return 'z';
      if (v instanceof Uint8Array) return `x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
      return `j${JSON.stringify(v)}`;
  }
}
