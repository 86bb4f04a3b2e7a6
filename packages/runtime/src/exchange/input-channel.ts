// Consumer side of one channel: the buffers that arrived (at most `buffersPerChannel`, because producers send
// only against credit) and the channel's slot in its input's watermark tracker.
import type { RecordCodec } from '../api/record-codec.js';
import type { WatermarkTracker } from '../time/watermark-tracker.js';

/** The channels of one logical input (0 or 1) of a task, across all edges feeding it. @internal */
export class InputGroup {
  idle = false;
  constructor(
    readonly inputIndex: number,
    readonly tracker: WatermarkTracker,
  ) {}
}

/** @internal */
export class InputChannel {
  readonly queue: ArrayBuffer[] = [];
  ended = false;
  /** Blocked during barrier alignment: its barrier arrived, others' have not. */
  blocked = false;
  /**
   * The producing operator's codec for the records of this channel (set by the task when it deploys; the edge's
   * producer is known from the channel's edge); undefined: the generic value codec.
   */
  codec: RecordCodec<unknown> | undefined = undefined;
  constructor(
    readonly channelId: number,
    readonly group: InputGroup,
    readonly trackerIndex: number,
    /** Returns one credit to the producer. */
    readonly grantCredit: () => void,
  ) {}
}
