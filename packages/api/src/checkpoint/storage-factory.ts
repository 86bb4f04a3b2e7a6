// The CheckpointStorageFactory contract: how checkpoint storage is found and created. A package publishes a factory
// under an identifier (`filesystem`, or e.g. `s3`) and the URI schemes it serves; a job selects it with
// `state.checkpoint-storage: <identifier>`, or by the scheme of `state.checkpoints.dir` (a plain path is `file`).
// The factory also opens savepoints and retained checkpoints by their pointer, so `--from-savepoint s3://...`
// works without the runtime knowing the medium.
import type { OptionSet } from '../config/option-declaration.js';
import type { CheckpointStorage, CompletedCheckpointRef } from './storage.js';

/**
 * What a {@link CheckpointStorageFactory} gets to create a storage.
 *
 * @public
 */
export interface CheckpointStorageContext {
  /** `state.checkpoints.dir`: where checkpoints go (a path or URI of one of the factory's schemes). */
  readonly location: string;
  /** `state.checkpoints.num-retained`. */
  readonly retained: number;
  /** Every `state.checkpoint-storage.<identifier>.*` option given, with its full key and its value as given. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A savepoint or retained checkpoint opened by its pointer.
 *
 * @public
 */
export interface OpenedCheckpoint {
  /** A storage to read it from (its listing and retention are not used). */
  readonly storage: CheckpointStorage;
  readonly ref: CompletedCheckpointRef;
}

/**
 * A checkpoint storage plugin.
 *
 * @public
 */
export interface CheckpointStorageFactory {
  readonly kind: 'checkpoint-storage';
  /** The value of `state.checkpoint-storage` that selects it, e.g. `filesystem`. */
  readonly identifier: string;
  /** URI schemes it serves, e.g. `['file']` (`file` also serves plain paths) or `['s3']`. */
  readonly schemes: readonly string[];
  /** The semver range of `@runnel/api` the factory was built for, e.g. `^0.1.0`. */
  readonly apiVersion: string;
  /** One line for listings and error messages. */
  readonly description: string;
  /** Its options, with keys under `state.checkpoint-storage.<identifier>.`. */
  readonly options: OptionSet;
  create(context: CheckpointStorageContext): CheckpointStorage | Promise<CheckpointStorage>;
  /**
   * Opens a savepoint or retained checkpoint by its pointer (what `execution.savepoint.path` holds); rejects when it
   * has no metadata.
   */
  open(pointer: string, options: Readonly<Record<string, unknown>>): Promise<OpenedCheckpoint>;
}
