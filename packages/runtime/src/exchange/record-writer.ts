// The network output of one edge of a task: picks the channel(s) of each record by the edge's partitioner
// (forward, rebalance, hash by key group, broadcast, global) and broadcasts watermarks and events to all channels.
import { keyGroupFor, operatorIndexForKeyGroup } from '@runnel/api';
import type { Output } from '../operators/output.js';
import type { PartitionSpec } from '../graph/transformation.js';
import type { ChannelWriter } from './channel-writer.js';
import { wrapUserError } from '../operators/user-function-error.js';

/** @internal */
export class RecordWriter implements Output<unknown> {
  private next = 0;
  private readonly keySelector: ((v: unknown) => unknown) | undefined;

  constructor(
    readonly channels: readonly ChannelWriter[],
    private readonly partition: PartitionSpec,
    private readonly maxParallelism: number,
    producerSubtask: number,
    private readonly errorContext: { node: { name: string; uid: string }; subtaskIndex: number; parallelism: number },
  ) {
    this.keySelector = partition.keySelector as ((v: unknown) => unknown) | undefined;
    this.next = producerSubtask % Math.max(1, channels.length);
  }

  collect(value: unknown, timestamp: number): void {
    const ch = this.channels;
    switch (this.partition.kind) {
      case 'forward':
      case 'global':
        ch[0]!.addRecord(value, timestamp);
        return;
      case 'rebalance': {
        const i = this.next;
        this.next = i + 1 === ch.length ? 0 : i + 1;
        ch[i]!.addRecord(value, timestamp);
        return;
      }
      case 'hash': {
        let kg: number;
        try {
          kg = keyGroupFor(this.keySelector!(value), this.maxParallelism);
        } catch (e) {
          throw wrapUserError(e, this.errorContext, value);
        }
        ch[operatorIndexForKeyGroup(this.maxParallelism, ch.length, kg)]!.addRecord(value, timestamp);
        return;
      }
      case 'broadcast':
        for (let i = 0; i < ch.length; i++) ch[i]!.addRecord(value, timestamp);
        return;
    }
  }

  collectSide(): void {
    // Side outputs are routed to their own (tagged) record writers by the RouterOutput.
  }

  emitWatermark(watermark: number): void {
    for (const c of this.channels) c.addWatermark(watermark);
  }

  emitIdle(idle: boolean): void {
    for (const c of this.channels) c.addIdle(idle);
  }
}
