// The CheckpointStorage contract: where state handles and checkpoint metadata are written and read. Handles carry
// a checksum so that a restore can verify every byte before trusting it.

/**
 * A persisted piece of state.
 *
 * @public
 */
export interface StateHandle {
  /** Storage-specific reference, relative to the checkpoint (never an absolute path from a request). */
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
 * Checkpoint storage of one job.
 *
 * @public
 */
export interface CheckpointStorage {
  readonly name: string;
  beginCheckpoint(checkpointId: number, kind: 'checkpoint' | 'savepoint'): Promise<CheckpointLocation>;
  /** Completed checkpoints, newest first. */
  listCompleted(): Promise<CompletedCheckpointRef[]>;
  readMetadata(ref: CompletedCheckpointRef): Promise<Uint8Array>;
  /** Reads and verifies a state handle; rejects when the bytes do not match the checksum. */
  readState(ref: CompletedCheckpointRef, handle: StateHandle): Promise<Uint8Array>;
  discard(ref: CompletedCheckpointRef): Promise<void>;
  /** Idempotent. */
  close(): void | Promise<void>;
}
