// The binary format of a network buffer: a sequence of elements, each a one-byte tag followed by its payload.
// Records carry their timestamp (omitted when they have none) and their value in the generic codec, or in the
// producing operator's RecordCodec when it set one (main output only); watermarks, watermark status, barriers and
// end-of-partition travel in-band so they stay ordered with the records. Every buffer is self-contained (the
// codec's shape table is per buffer), so buffers can be decoded on any thread.

/** @internal */ export const TAG_RECORD = 1;
/** @internal */ export const TAG_RECORD_NO_TS = 2;
/** @internal */ export const TAG_WATERMARK = 3;
/** @internal */ export const TAG_IDLE = 4;
/** @internal */ export const TAG_ACTIVE = 5;
/** @internal */ export const TAG_END_OF_PARTITION = 6;
/** @internal */ export const TAG_BARRIER = 7;

/** @internal */
export interface ExchangeConfig {
  /** Bytes after which a buffer is sent (`taskmanager.memory.segment-size`). */
  readonly bufferBytes: number;
  /** Records after which a buffer is sent, whatever its size. */
  readonly bufferMaxRecords: number;
  /** Buffers a producer may have in flight per channel before it waits for credit. */
  readonly buffersPerChannel: number;
}

/** @internal */
export const DEFAULT_EXCHANGE_CONFIG: ExchangeConfig = {
  bufferBytes: 32 * 1024,
  bufferMaxRecords: 2048,
  buffersPerChannel: 2,
};
