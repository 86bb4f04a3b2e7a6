// The CheckpointStorage contract: where state handles and checkpoint metadata are written and read, listed, kept
// and deleted. The runtime writes and reads checkpoints only through it, so a storage on another medium (an object
// store) is a plugin: a CheckpointStorageFactory found by its identifier (`state.checkpoint-storage`) or by the
// scheme of `state.checkpoints.dir`. Handles carry a checksum so that a restore can verify every byte before
// trusting it.

/**
 * A persisted piece of state.
 *
 * @public
 */
export interface StateHandle {
  /**
   * Storage-specific reference, relative to the checkpoint (never an absolute path from a request). A name under
   * `shared/` is a shared file: it outlives its checkpoint while later checkpoints (incremental deltas) reference it.
   */
  readonly ref: string;
  readonly size: number;
  /** Checksum of the bytes, `<algorithm>:<hex>`. */
  readonly checksum: string;
}

/**
 * A checkpoint being written.
 *
 * @public
 */
export interface CheckpointLocation {
  readonly checkpointId: number;
  /** Where the checkpoint is (a path or URI): what `execution.savepoint.path` takes to restore it. */
  readonly pointer: string;
  writeState(name: string, bytes: Uint8Array): Promise<StateHandle>;
  /** Writes the metadata atomically; the checkpoint exists only once this resolves. */
  writeMetadata(bytes: Uint8Array): Promise<void>;
  /** Removes whatever was written for an aborted checkpoint. */
  abort(): Promise<void>;
}

/**
 * A completed checkpoint or savepoint as listed by the storage.
 *
 * @public
 */
export interface CompletedCheckpointRef {
  readonly checkpointId: number;
  readonly kind: 'checkpoint' | 'savepoint';
  /** Storage-specific reference of the checkpoint. */
  readonly ref: string;
}

/**
 * What the current run of a checkpoint directory started from.
 *
 * @public
 */
export type LineageOrigin =
  | { readonly kind: 'none' }
  | { readonly kind: 'savepoint'; readonly path: string; readonly checkpointId: number }
  | { readonly kind: 'checkpoint'; readonly checkpointId: number };

/**
 * The lineage of a checkpoint directory: which run its newest checkpoints belong to. A run records the highest
 * checkpoint id the directory held when it started (its floor) and what it started from; resuming considers only
 * checkpoints above the floor and falls back to the origin when the run took none.
 *
 * @public
 */
export interface CheckpointLineage {
  /** Checkpoints with this id or lower belong to earlier runs. */
  readonly floor: number;
  /** What the run started from: what a resume falls back to while the run has no checkpoint of its own. */
  readonly origin: LineageOrigin;
}

/**
 * Checkpoint storage of one job.
 *
 * @public
 */
export interface CheckpointStorage {
  /** The identifier of the storage kind, e.g. `filesystem`. */
  readonly name: string;
  /** Where the storage keeps its checkpoints (a path or URI), for messages. */
  readonly location: string;
  beginCheckpoint(checkpointId: number, kind: 'checkpoint' | 'savepoint'): Promise<CheckpointLocation>;
  /**
   * Begins a savepoint: in `target` (a new or empty directory, as a path or URI of this storage) when given, else in
   * the storage's own place. Savepoints are self-contained (no shared files) and never discarded by retention.
   */
  beginSavepoint(checkpointId: number, target?: string): Promise<CheckpointLocation>;
  /** Completed checkpoints and savepoints, newest first. */
  listCompleted(): Promise<CompletedCheckpointRef[]>;
  readMetadata(ref: CompletedCheckpointRef): Promise<Uint8Array>;
  /** Reads and verifies a state handle; rejects when the bytes do not match the checksum. */
  readState(ref: CompletedCheckpointRef, handle: StateHandle): Promise<Uint8Array>;
  /** Optional capability: verifies a state handle without returning its bytes (checks before a restore). */
  verifyState?(ref: CompletedCheckpointRef, handle: StateHandle): Promise<void>;
  /** The pointer of a completed checkpoint (a path or URI), as `CheckpointLocation.pointer`. */
  pointerOf(ref: CompletedCheckpointRef): string;
  discard(ref: CompletedCheckpointRef): Promise<void>;
  /**
   * Retention, after a checkpoint completed: keeps the newest `state.checkpoints.num-retained` checkpoints
   * (never savepoints), discards older ones, and deletes shared files that no kept checkpoint references and that
   * are not in `protect` (the bases of checkpoints in flight).
   */
  retain(protect?: Iterable<string>): Promise<unknown>;
  /** Removes what a crashed run left unfinished (checkpoints without metadata). */
  cleanupIncomplete(): Promise<unknown>;
  readLineage(): Promise<CheckpointLineage | undefined>;
  /** Records the lineage of a run that starts now, atomically. */
  writeLineage(lineage: CheckpointLineage): Promise<void>;
  /** Idempotent. */
  close(): void | Promise<void>;
}
