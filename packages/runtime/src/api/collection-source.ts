// The source behind fromElements/fromCollection: a bounded Source whose splits are the element positions
// i, i+n, i+2n, ... of subtask i (n = parallelism). The elements live in the job definition, which every thread
// rebuilds, so only positions travel and get checkpointed.
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, SplitEnumerator, SplitEnumeratorContext, VersionedSerializer } from '@runnel/api';
import { jsonVersionedSerializer } from '@runnel/codec';

/** @internal */
export interface CollectionSplit extends SourceSplit {
  readonly stride: number;
  /** Index of the next element to emit. */
  readonly next: number;
}

function validSplit(v: unknown): v is CollectionSplit {
  const s = v as Partial<CollectionSplit> | null;
  return typeof s === 'object' && s !== null && typeof s.splitId === 'string' && Number.isSafeInteger(s.stride) && (s.stride as number) >= 1 && Number.isSafeInteger(s.next) && (s.next as number) >= 0;
}

const splitSerializer: VersionedSerializer<CollectionSplit> = jsonVersionedSerializer('runnel.collection-split', 1, (v) => {
  if (!validSplit(v)) throw new Error(`runnel.collection-split: invalid payload: ${JSON.stringify(v)}`);
  return v;
});
const enumeratorStateSerializer: VersionedSerializer<CollectionSplit[]> = jsonVersionedSerializer('runnel.collection-enumerator', 1, (v) => {
  if (!Array.isArray(v) || !v.every(validSplit)) throw new Error(`runnel.collection-enumerator: invalid payload: ${JSON.stringify(v)}`);
  return v;
});

/** @internal */
export class CollectionSource<T> implements Source<T, CollectionSplit, CollectionSplit[]> {
  readonly boundedness = 'bounded' as const;
  readonly splitSerializer = splitSerializer;
  /** The enumerator's state: the splits not yet assigned. */
  readonly enumeratorStateSerializer = enumeratorStateSerializer;

  constructor(private readonly elements: readonly T[]) {}

  createEnumerator(ctx: SplitEnumeratorContext<CollectionSplit>): SplitEnumerator<CollectionSplit, CollectionSplit[]> {
    const n = ctx.currentParallelism;
    return this.restoreEnumerator(ctx, Array.from({ length: n }, (_, i) => ({ splitId: String(i), stride: n, next: i })));
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<CollectionSplit>, state: CollectionSplit[]): SplitEnumerator<CollectionSplit, CollectionSplit[]> {
    const pending = [...state];
    const n = ctx.currentParallelism;
    return {
      start() {},
      handleSplitRequest() {},
      addSplitsBack(splits) {
        pending.push(...splits);
      },
      addReader(subtask) {
        // A split goes to the subtask of its index (modulo the current parallelism, after a rescale).
        for (let i = pending.length - 1; i >= 0; i--) {
          if (Number(pending[i]!.splitId) % n === subtask) ctx.assignSplit(pending.splice(i, 1)[0]!, subtask);
        }
        ctx.signalNoMoreSplits(subtask);
      },
      snapshotState: () => [...pending],
      close() {},
    };
  }

  createReader(): SourceReader<T, CollectionSplit> {
    const elements = this.elements;
    // Records go through per-split outputs, and a split read to its end is released: every split the reader holds
    // holds the watermark, so after a rescale a reader with two splits never lets one's watermark pass the other.
    const splits: { id: string; stride: number; next: number; output?: ReaderOutput<T> }[] = [];
    let noMore = false;
    let wake: (() => void) | undefined;
    return {
      start() {},
      pollNext(output: ReaderOutput<T>): InputStatus {
        const s = splits[0];
        if (!s) return noMore ? 'end-of-input' : 'nothing-available';
        const end = Math.min(elements.length, s.next + s.stride * 1024);
        const out = (s.output ??= output.createOutputForSplit(s.id));
        let i = s.next;
        for (; i < end; i += s.stride) {
          s.next = i + s.stride;
          out.collect(elements[i]!);
        }
        if (s.next >= elements.length) {
          output.releaseOutputForSplit(s.id);
          splits.shift();
        }
        return splits.length > 0 || !noMore ? (splits.length > 0 ? 'more-available' : 'nothing-available') : 'end-of-input';
      },
      isAvailable() {
        if (splits.length > 0 || noMore) return Promise.resolve();
        return new Promise<void>((r) => (wake = r));
      },
      addSplits(newSplits) {
        for (const s of newSplits) splits.push({ id: s.splitId, stride: s.stride, next: s.next });
        wake?.();
      },
      notifyNoMoreSplits() {
        noMore = true;
        wake?.();
      },
      snapshotState: () => splits.map((s) => ({ splitId: s.id, stride: s.stride, next: s.next })),
      close() {},
    };
  }
}
