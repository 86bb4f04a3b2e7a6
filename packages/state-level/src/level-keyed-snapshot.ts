// A keyed-state snapshot of the LevelDB backend. At the barrier the backend takes a LevelDB snapshot (a
// synchronous, consistent, copy-free view) and an in-memory overlay of everything that is not certainly in it
// yet: write batches still queued or running, and the dirty cache entries encoded at the barrier. `write()` then
// walks the LevelDB snapshot over the subtask's whole key-group range with one iterator (keys start with their key
// group, so the walk meets the groups in order), lets overlay entries win, and yields canonical entries per key
// group. One iterator, not one per key group: every `nextv` waits for an event-loop turn, which on a busy task
// thread is a task slice or more, and 3 waits × 128 key groups made a checkpoint of a few kilobytes take seconds.
// Records keep flowing meanwhile: later write-backs go to the live database, which the LevelDB snapshot does not
// see, so nothing written after the barrier can leak into the checkpoint.
import { BinaryReader } from '@runnel/codec';
import type {
  KeyGroupEntries,
  KeyGroupRange,
  KeyedStateEntry,
  KeyedStateSnapshot,
  StateKind,
  StateMetaInfo,
} from '@runnel/api/state';
import type { AbstractLevelState } from './abstract-level-state.js';
import { dropExpired } from './canonical.js';
import { decodeDbKey, decodeDbValue, groupStart } from './db-layout.js';

/** What the snapshot needs to know about one state id. @internal */
export interface SnapshotStateView {
  readonly name: string;
  readonly kind: StateKind;
  /** The registered handle (for serializer migration of entries written with an older version). */
  readonly handle: AbstractLevelState | undefined;
  /** TTL in ms when expired entries must be left out (`never-return-expired`). */
  readonly dropExpiredAfterMs: number | undefined;
}

/** The parts of a LevelDB database the snapshot uses. @internal */
export interface SnapshotSource {
  iterator(options: {
    gte: Buffer;
    lt: Buffer;
    snapshot: unknown;
  }): { nextv(n: number): Promise<[Buffer, Buffer][]>; close(): Promise<void> };
}

/** A LevelDB snapshot handle. @internal */
export interface DbSnapshotHandle {
  close(): Promise<void>;
}

/**
 * A captured keyed-state snapshot of {@link LevelKeyedStateBackend}.
 *
 * @public
 */
export class LevelKeyedStateSnapshot implements KeyedStateSnapshot {
  private released: Promise<void> | undefined;

  /** @internal */
  constructor(
    readonly checkpointId: number,
    readonly states: readonly StateMetaInfo[],
    private readonly db: SnapshotSource,
    private readonly dbSnapshot: DbSnapshotHandle,
    /** Key group → (LevelDB key as latin1 string → value, `null` for a delete). */
    private readonly overlay: Map<number, Map<string, Buffer | null>>,
    private readonly views: readonly (SnapshotStateView | undefined)[],
    private readonly range: KeyGroupRange,
    /** Processing time at the barrier (TTL filtering). */
    private readonly now: number,
  ) {}

  /** Produces the entries of every non-empty key group, in key-group order. */
  async *write(): AsyncIterable<KeyGroupEntries> {
    if (this.released !== undefined) throw new Error(`snapshot of checkpoint ${this.checkpointId} was released`);
    const reader = new BinaryReader();
    const valueReader = new BinaryReader();
    const { start, end } = this.range;
    // The key group being collected, its entries, and its overlay with the overlay keys the walk met.
    let kg = start;
    let entries: KeyedStateEntry[] = [];
    let ov = this.overlay.get(kg);
    let seen = ov === undefined ? undefined : new Set<string>();
    /** Adds the overlay entries the walk did not meet; returns the group's entries, if any. */
    const close = (): KeyGroupEntries | undefined => {
      if (ov !== undefined) {
        for (const [s, value] of ov) {
          if (value !== null && !seen!.has(s)) this.decode(Buffer.from(s, 'latin1'), value, reader, valueReader, entries);
        }
      }
      return entries.length > 0 ? { keyGroup: kg, entries } : undefined;
    };
    const next = (): void => {
      kg++;
      entries = [];
      ov = this.overlay.get(kg);
      seen = ov === undefined ? undefined : new Set<string>();
    };
    const it = this.db.iterator({ gte: groupStart(start), lt: groupStart(end + 1), snapshot: this.dbSnapshot });
    try {
      for (;;) {
        const batch = await it.nextv(4096);
        if (batch.length === 0) break;
        for (const [k, v] of batch) {
          const group = (k[0]! << 8) | k[1]!;
          while (group > kg) {
            const done = close();
            if (done !== undefined) yield done;
            next();
          }
          let value: Buffer | null = v;
          if (ov !== undefined) {
            const s = k.toString('latin1');
            const o = ov.get(s);
            if (o !== undefined) {
              seen!.add(s);
              value = o;
            }
          }
          if (value !== null) this.decode(k, value, reader, valueReader, entries);
        }
      }
    } finally {
      await it.close();
    }
    for (;;) {
      const done = close();
      if (done !== undefined) yield done;
      if (kg >= end) break;
      next();
    }
  }

  private decode(k: Buffer, v: Buffer, reader: BinaryReader, valueReader: BinaryReader, out: KeyedStateEntry[]): void {
    const key = decodeDbKey(k, reader);
    const view = this.views[key.stateId];
    if (view === undefined) throw new Error(`snapshot: entry of unknown state id ${key.stateId}`);
    const decoded = decodeDbValue(v, valueReader);
    let value = decoded.canonical;
    const h = view.handle;
    if (h !== undefined && (decoded.valueVersion !== h.valueVersion || decoded.mapKeyVersion !== h.mapKeyVersion)) {
      // Written by another serializer version (restored entries): rewrite in the version the meta info names.
      const stored = h.fromCanonical(value, decoded.valueVersion, decoded.mapKeyVersion);
      if (stored === undefined) return;
      value = h.toCanonical(stored);
    }
    if (view.dropExpiredAfterMs !== undefined) {
      value = dropExpired(view.kind, value, view.dropExpiredAfterMs, this.now);
      if (value === undefined) return;
    }
    out.push({ state: view.name, key: key.key, namespace: key.namespace, value });
  }

  /** Releases the LevelDB snapshot; idempotent. */
  release(): Promise<void> {
    this.released ??= this.dbSnapshot.close().catch(() => undefined);
    this.overlay.clear();
    return this.released;
  }
}
