// A harness around the runtime's source operator: one reader subtask of a Source, driven as a task drives it (polls,
// split assignments, no-more-splits, source events, periodic watermarks on the manual clock), with its splits
// checkpointed through the source's split serializer next to each split's watermark.
import type { InputStatus, Source, SourceReader, SourceSplit, WatermarkStrategy } from '@runnel/api';
import { SourceOperator } from '@runnel/runtime/testing';
import type { HarnessOptions } from './harness-options.js';
import { OperatorHarness } from './operator-harness.js';

/**
 * What a reader sent to its enumerator, in order.
 *
 * @public
 */
export type ReaderRequest = { readonly kind: 'register' } | { readonly kind: 'split-request' } | { readonly kind: 'event'; readonly event: unknown };

/**
 * Options of a source harness.
 *
 * @public
 */
export interface SourceHarnessOptions<T> extends HarnessOptions {
  /** Timestamps and watermarks generated per split, as `env.fromSource(source, strategy)` does. */
  readonly watermarkStrategy?: WatermarkStrategy<T>;
  /** Called for each message the reader sends to the enumerator (a driver routes them there). */
  readonly onRequest?: (request: ReaderRequest) => void;
}

/**
 * Hosts one reader subtask of a source.
 *
 * @public
 */
export class SourceHarness<T, Split extends SourceSplit = SourceSplit> extends OperatorHarness<T> {
  /** Messages the reader sent to the enumerator, in order. */
  readonly requests: readonly ReaderRequest[];

  /** @internal */
  constructor(base: ConstructorParameters<typeof OperatorHarness<T>>, requests: ReaderRequest[]) {
    super(...base);
    this.requests = requests;
  }

  /** The reader the source created for this subtask. */
  get reader(): SourceReader<T, Split> {
    return (this.operator as SourceOperator<T>).reader as unknown as SourceReader<T, Split>;
  }

  /** Hands splits to the reader (as an assignment from the enumerator). */
  addSplits(splits: readonly Split[]): void {
    this.checkOpen();
    (this.operator as SourceOperator<T>).addSplits([...splits]);
  }

  /** Tells the reader that no more splits will come. */
  noMoreSplits(): void {
    this.checkOpen();
    this.reader.notifyNoMoreSplits();
  }

  /** Delivers an event of the enumerator. */
  sourceEvent(event: unknown): void {
    this.checkOpen();
    this.reader.handleSourceEvent?.(event);
  }

  /** Polls the reader once (it emits up to a batch). */
  pollNext(): InputStatus {
    this.checkOpen();
    return (this.operator as SourceOperator<T>).emitNext();
  }

  /**
   * Polls until end of input, until `maxRecords` records were emitted in total, or — when the reader has nothing
   * available — until `isAvailable()` settles (`waitWhenIdle`, default) or at once. Returns the last status.
   */
  async pollUntil(options: { maxRecords?: number; waitWhenIdle?: boolean; maxPolls?: number } = {}): Promise<InputStatus> {
    const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
    const maxPolls = options.maxPolls ?? 1_000_000;
    for (let i = 0; i < maxPolls; i++) {
      const status = this.pollNext();
      if (status === 'end-of-input' || this.output().length >= max) return status;
      if (status === 'nothing-available') {
        if (options.waitWhenIdle === false) return status;
        await this.reader.isAvailable();
      }
    }
    throw new Error(`the reader did not reach end of input in ${maxPolls} polls`);
  }
}

/**
 * Opens one reader subtask of `source` (restored from `options.restore`, if given: its splits go back to the reader).
 *
 * @public
 */
export async function sourceHarness<T, Split extends SourceSplit = SourceSplit>(source: Source<T, Split, any>, options: SourceHarnessOptions<T> = {}): Promise<SourceHarness<T, Split>> {
  if (source === null || typeof source !== 'object' || typeof source.createReader !== 'function') throw new TypeError('sourceHarness: expected a Source (an object with createReader)');
  const requests: ReaderRequest[] = [];
  const record = (r: ReaderRequest): void => {
    requests.push(r);
    options.onRequest?.(r);
  };
  return OperatorHarness.build(
    {
      kind: 'source',
      sourceGateway: {
        registerReader: () => record({ kind: 'register' }),
        requestSplit: () => record({ kind: 'split-request' }),
        sendEvent: (event) => record({ kind: 'event', event }),
      },
      create: (ctx) => new SourceOperator<T>(ctx, source as unknown as Source<T, SourceSplit, unknown>, options.watermarkStrategy),
    },
    { name: 'source', ...options },
    (op, ctx, out, clock, s, r) => new SourceHarness<T, Split>([op, ctx, out, clock, s, r], requests),
  );
}
