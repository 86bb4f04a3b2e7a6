// `@runnel/checkpoint`: checkpoint storage on a file system, the canonical (backend- and parallelism-independent)
// formats of keyed state, operator state and checkpoint metadata, and verification of whole checkpoints so that
// a restore falls back to the newest intact one instead of loading damaged state.

export { CheckpointCorruptedError, NoIntactCheckpointError } from './errors.js';
export type { CorruptionProblem, CorruptionLocation } from './errors.js';
export {
  crc32,
  checksumOf,
  createChecksummer,
  parseChecksum,
  DEFAULT_CHECKSUM_ALGORITHM,
} from './format/checksum.js';
export type { ChecksumAlgorithm, Checksummer } from './format/checksum.js';
export {
  KeyGroupsEncoder,
  encodeKeyGroups,
  encodeKeyGroupsAsync,
  decodeKeyGroups,
  KEY_GROUPS_MAGIC,
  KEY_GROUPS_FORMAT_VERSION,
} from './format/key-groups-format.js';
export type { EncodedKeyGroups, KeyGroupIndex } from './format/key-groups-format.js';
export {
  encodeOperatorState,
  decodeOperatorState,
  OPERATOR_STATE_MAGIC,
  OPERATOR_STATE_FORMAT_VERSION,
} from './format/operator-state-format.js';
export { redistributeOperatorState } from './format/redistribute.js';
export {
  encodeMetadata,
  decodeMetadata,
  validateMetadata,
  referencedHandles,
  METADATA_FORMAT_VERSION,
  METADATA_FILE_NAME,
} from './format/metadata.js';
export type { CheckpointMetadata, OperatorSnapshotMeta } from './format/metadata.js';
export { stateFileName, stateFileNameProblem, isSharedStateFile, SHARED_STATE_DIRECTORY } from './file-names.js';
export { FsCheckpointStorage } from './fs-checkpoint-storage.js';
export { filesystemCheckpointStorage } from './filesystem-storage-factory.js';
export type {
  FsCheckpointStorageOptions,
  FsCheckpointLocation,
  VerifyingCheckpointStorage,
  OpenedSavepoint,
} from './fs-checkpoint-storage.js';
export { verifyCheckpoint, loadLatestValid } from './verify.js';
export { LINEAGE_FILE_NAME, readLineage, writeLineage } from './lineage.js';
export type { VerifiedCheckpoint, LoadLatestValidOptions } from './verify.js';
export { keyGroupHandlesFor, decodeKeyGroupRange, readKeyedState, readOperatorState, readOperatorStateFrom, readCoordinatorState } from './restore.js';
export type { StateFileReader } from './restore.js';
