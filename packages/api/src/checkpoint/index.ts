// Entry point of `@runnel/api/checkpoint`.
export type {
  StateHandle,
  CheckpointLocation,
  CompletedCheckpointRef,
  CheckpointStorage,
  CheckpointLineage,
  LineageOrigin,
} from './storage.js';
export type { CheckpointStorageContext, OpenedCheckpoint, CheckpointStorageFactory } from './storage-factory.js';
