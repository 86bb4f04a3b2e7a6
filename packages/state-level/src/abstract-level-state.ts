// Base of all keyed state handles of the LevelDB backend: scoped access to the cell of the current key and
// namespace in the write-back cache, conversion between the in-cache (stored) form and the canonical form kept in
// LevelDB and in snapshots, and the kind-specific hooks for merging namespaces and listing keys. The stored forms
// and their semantics are those of @runnel/state-heap, so both backends behave identically.
import type { VersionedSerializer as Serializer } from '@runnel/api';
import type { StateKind } from '@runnel/api/state';
import { markDirty, readCell, removeCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';

/**
 * A keyed state handle of the LevelDB backend.
 *
 * @internal
 */
export abstract class AbstractLevelState {
  abstract readonly kind: StateKind;
  /** Version byte written with values: the value serializer's version, 0 for plain data. */
  readonly valueVersion: number;
  /** Version byte of map keys (map state), 0 for plain data. */
  readonly mapKeyVersion: number;

  constructor(
    readonly name: string,
    protected readonly c: Cursor,
    readonly m: StateMeta,
    readonly ttl: TtlPolicy | undefined,
    protected readonly vs: Serializer<unknown> | undefined,
    protected readonly ks: Serializer<unknown> | undefined = undefined,
  ) {
    this.valueVersion = vs === undefined ? 0 : vs.version;
    this.mapKeyVersion = ks === undefined ? 0 : ks.version;
  }

  /** TTL states: the current time. */
  protected access(): number {
    return this.ttl!.clock();
  }

  /**
   * TTL value-like states: the entry of the current key and namespace, or `undefined` when absent. An expired
   * entry is removed and, unless the visibility returns expired values, reported absent.
   */
  protected readTtl(now: number): TtlEntry<unknown> | undefined {
    const e = readCell(this.c, this.m) as TtlEntry<unknown> | undefined;
    if (e === undefined) return undefined;
    const ttl = this.ttl!;
    if (ttl.expired(e, now)) {
      removeCell(this.c, this.m);
      return ttl.returnExpired ? e : undefined;
    }
    if (ttl.updateOnRead) {
      e.timestamp = now;
      markDirty(this.c, this.m);
    }
    return e;
  }

  /** TTL value-like states: writes a value with a fresh timestamp. */
  protected writeTtl(value: unknown, now: number): void {
    const e = readCell(this.c, this.m) as TtlEntry<unknown> | undefined;
    if (e !== undefined) {
      e.value = value;
      e.timestamp = now;
      markDirty(this.c, this.m);
    } else {
      writeCell(this.c, this.m, new TtlEntry(value, now));
    }
  }

  /** Drops state of the current key and namespace. */
  clear(): void {
    removeCell(this.c, this.m);
  }

  /** A user value in canonical form (serializer bytes when the descriptor names a serializer). */
  protected ser(v: unknown): unknown {
    return this.vs === undefined ? v : this.vs.serialize(v);
  }

  /** A canonical value written with `version` back to a user value. */
  protected deser(x: unknown, version: number): unknown {
    if (version === 0) return x;
    if (this.vs === undefined) {
      throw new Error(
        `state '${this.name}': stored values were written by a serializer (version ${version}) but the descriptor ` +
          'names none',
      );
    }
    return this.vs.deserialize(x as Uint8Array, version);
  }

  /** Canonical form of a value-like stored value (value, reducing, aggregating). */
  protected scalarToCanonical(stored: unknown): unknown {
    if (this.ttl === undefined) return this.ser(stored);
    const e = stored as TtlEntry<unknown>;
    return [this.ser(e.value), e.timestamp];
  }

  /** Stored form of a canonical value-like value. */
  protected scalarFromCanonical(canonical: unknown, version: number): unknown {
    if (this.ttl === undefined) return this.deser(canonical, version);
    const [v, ts] = ttlPair(this.name, canonical);
    return new TtlEntry(this.deser(v, version), ts);
  }

  /** Canonical (LevelDB and snapshot) form of a stored value, without TTL filtering. */
  abstract toCanonical(stored: unknown): unknown;

  /** Stored form of a canonical value written with the given serializer versions; `undefined` when empty. */
  abstract fromCanonical(canonical: unknown, valueVersion: number, mapKeyVersion: number): unknown;

  /** TTL states: whether a stored value still holds something unexpired (used by `keys()`). */
  abstract isLive(stored: unknown, now: number): boolean;

  /** Throws when this state cannot merge namespaces. */
  abstract checkMergeable(): void;

  /**
   * Merges a source namespace's stored value into the target's (`undefined` when the target has none yet);
   * returns the new stored value of the target, `undefined` when nothing is left.
   */
  abstract mergeStored(target: unknown, source: unknown, now: number): unknown;
}

/** A canonical TTL element `[value, timestamp]`. @internal */
export function ttlPair(stateName: string, x: unknown): [unknown, number] {
  if (Array.isArray(x) && x.length === 2 && typeof x[1] === 'number') return x as [unknown, number];
  throw new TypeError(`state '${stateName}': expected a TTL pair [value, timestamp], got ${String(x)}`);
}
