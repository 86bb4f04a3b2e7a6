// Shared pieces of the Kafka source tests: a source over the in-memory cluster, a watermark strategy written
// against the @runnel/api contract (this package cannot depend on the runtime's helpers), and a polling wait.
import type { WatermarkGenerator, WatermarkStrategy } from '@runnel/api';
import type { KafkaRecord, TopicPartition } from '../../src/client/kafka-client.js';
import { KafkaSource, OffsetsInitializer, type KafkaSourceSettings } from '../../src/source/index.js';
import type { InMemoryKafka } from '../support/in-memory-kafka.js';

/** What the test sources emit: where each record came from and its value. */
export interface Read {
  readonly tp: string;
  readonly offset: number;
  readonly value: string | null;
}

const text = new TextDecoder();

/** A source of `Read`s over `cluster`. */
export function readSource(cluster: InMemoryKafka, settings: Partial<KafkaSourceSettings<Read>> = {}): KafkaSource<Read> {
  return new KafkaSource<Read>({
    clientFactory: cluster.clientFactory,
    brokers: [cluster.bootstrap],
    subscription: { topics: ['events'] },
    startingOffsets: OffsetsInitializer.earliest(),
    deserializer: (r: KafkaRecord, tp: TopicPartition, emit) => emit({ tp: `${tp.topic}-${tp.partition}`, offset: r.offset, value: r.value === null ? null : text.decode(r.value) }),
    pollTimeoutMs: 20,
    ...settings,
  });
}

/** Sorted `tp@offset` names of reads, for comparisons that do not depend on interleaving. */
export function positions(reads: readonly Read[]): string[] {
  return reads.map((r) => `${r.tp}@${r.offset}`).sort();
}

/** Bounded out-of-orderness watermarks (the timestamp minus `delay`), with an idleness timeout. */
export function boundedWatermarks<T>(delayMs: number, idleTimeoutMs?: number): WatermarkStrategy<T> {
  return {
    createWatermarkGenerator(): WatermarkGenerator<T> {
      let max = Number.NEGATIVE_INFINITY;
      return {
        onEvent(_e, timestamp) {
          if (timestamp > max) max = timestamp;
        },
        onPeriodicEmit(out) {
          if (max > Number.NEGATIVE_INFINITY) out.emitWatermark(max - delayMs - 1);
        },
      };
    },
    idleTimeoutMs,
  };
}

/** Waits until `condition` holds (checking every few ms), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
