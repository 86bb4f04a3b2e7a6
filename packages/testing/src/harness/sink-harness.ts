// A harness around the runtime's sink operator: one subtask of a Sink, driven through the same operator a job runs
// (restored committables committed before the writer starts, flush and pre-commit at the barrier, committables and
// writer state encoded with the sink's serializers, commits when a checkpoint completes, end-of-input commit).
import type { Sink, SinkWriter } from '@runnel/api';
import { SinkOperator } from '@runnel/runtime/testing';
import type { HarnessOptions } from './harness-options.js';
import { OneInputHarness } from './one-input-harness.js';
import { OperatorHarness } from './operator-harness.js';

/**
 * Values a writer sent to the client that submitted the job (the `collect` sink).
 *
 * @public
 */
export interface ClientMessage {
  readonly channel: string;
  readonly values: readonly unknown[];
}

/**
 * Hosts one subtask of a sink. `snapshot()` is the barrier (flush, pre-commit, capture), `notifyCheckpointComplete`
 * commits, `endInput()` is the end of a bounded input, `close()` without `endInput()` is a crash.
 *
 * @public
 */
export class SinkHarness<T> extends OneInputHarness<T, never> {
  /** What the writer sent to the client (`sendToClient`), in order. */
  readonly sentToClient: readonly ClientMessage[];

  /** @internal */
  constructor(base: ConstructorParameters<typeof OneInputHarness<T, never>>, sent: ClientMessage[]) {
    super(...base);
    this.sentToClient = sent;
  }

  /** The writer the sink created for this subtask. */
  get writer(): SinkWriter<T, unknown, unknown> {
    return (this.operator as SinkOperator<T>).writer;
  }
}

/**
 * Opens one subtask of `sink` (restored from `options.restore`, if given).
 *
 * @public
 */
export async function sinkHarness<T>(sink: Sink<T, any, any>, options: HarnessOptions = {}): Promise<SinkHarness<T>> {
  if (sink === null || typeof sink !== 'object' || typeof sink.createWriter !== 'function') throw new TypeError('sinkHarness: expected a Sink (an object with createWriter)');
  const sent: ClientMessage[] = [];
  return OperatorHarness.build(
    { kind: 'sink', sendToClient: (channel, values) => void sent.push({ channel, values: [...values] }), create: (ctx) => new SinkOperator<T>(ctx, sink as Sink<T, unknown, unknown>) },
    { name: 'sink', ...options },
    (op, ctx, out, clock, s, r) => new SinkHarness<T>([op, ctx, out, clock, s, r], sent),
  );
}
