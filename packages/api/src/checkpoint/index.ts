// Entry point of `@runnel/api/checkpoint`.
export type { StateHandle, CheckpointLocation, CompletedCheckpointRef, CheckpointStorage } from './storage.js';
