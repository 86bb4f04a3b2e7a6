// The `filesystem` checkpoint storage as a plugin: the factory the runtime finds by identifier
// (`state.checkpoint-storage: filesystem`, the default) or by the scheme of `state.checkpoints.dir` (a plain path, or
// a `file:` URI). It creates an FsCheckpointStorage and opens savepoints by path.
import { fileURLToPath } from 'node:url';
import type { CheckpointStorage, CheckpointStorageContext, CheckpointStorageFactory, OpenedCheckpoint } from '@runnel/api';
import { parseOptions } from '@runnel/api/config';
import { FsCheckpointStorage } from './fs-checkpoint-storage.js';

/** A path from a plain path or a `file:` URI. */
function localPath(pointer: string): string {
  return pointer.startsWith('file:') ? fileURLToPath(pointer) : pointer;
}

/**
 * The `filesystem` checkpoint storage factory.
 *
 * @public
 */
export const filesystemCheckpointStorage: CheckpointStorageFactory = {
  kind: 'checkpoint-storage',
  identifier: 'filesystem',
  schemes: ['file'],
  apiVersion: '^0.1.0',
  description: 'checkpoints in a directory of a local or mounted file system (fsync, atomic metadata, checksums)',
  options: [],
  create(context: CheckpointStorageContext): CheckpointStorage {
    parseOptions(this.options, context.options, { context: 'checkpoint storage filesystem' });
    return new FsCheckpointStorage({ directory: localPath(context.location), retained: context.retained });
  },
  async open(pointer: string): Promise<OpenedCheckpoint> {
    // Verification is the caller's (it reads every byte before a restore); opening only finds the metadata.
    const { storage, ref } = await FsCheckpointStorage.openSavepoint(localPath(pointer), { verify: false });
    return { storage, ref };
  },
};
