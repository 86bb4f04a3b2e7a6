// A minimal bounded source over lists and a two-phase-commit sink into an array, written against @runnel/api only:
// the kind of plugin the harnesses and suites are for, small enough to see what each test drives.
import type { Committer, Sink, SinkWriter, Source, SourceReader, SourceSplit, SplitEnumerator, SplitEnumeratorContext, VersionedSerializer } from '@runnel/api';

export interface ListSplit extends SourceSplit {
  readonly values: readonly number[];
  /** Index of the next value to read. */
  next: number;
}

export function json<T>(id: string): VersionedSerializer<T> {
  return {
    id,
    version: 1,
    serialize: (v) => new TextEncoder().encode(JSON.stringify(v)),
    deserialize: (b, version) => {
      if (version !== 1) throw new Error(`${id}: unknown version ${version}`);
      return JSON.parse(new TextDecoder().decode(b)) as T;
    },
  };
}

class ListEnumerator implements SplitEnumerator<ListSplit, ListSplit[]> {
  constructor(
    private readonly ctx: SplitEnumeratorContext<ListSplit>,
    private readonly pending: ListSplit[],
  ) {}
  start(): void {}
  handleSplitRequest(): void {}
  addSplitsBack(splits: readonly ListSplit[]): void {
    this.pending.push(...splits);
  }
  addReader(subtask: number): void {
    // Deal the pending splits round-robin over the registered readers; this reader takes its share now.
    const readers = this.ctx.registeredReaders();
    const mine = this.pending.filter((_, i) => readers.length <= 1 || i % this.ctx.currentParallelism === subtask);
    for (const s of mine) {
      this.pending.splice(this.pending.indexOf(s), 1);
      this.ctx.assignSplit(s, subtask);
    }
    this.ctx.signalNoMoreSplits(subtask);
  }
  snapshotState(): ListSplit[] {
    return this.pending.map((s) => ({ ...s }));
  }
  close(): void {}
}

class ListReader implements SourceReader<number, ListSplit> {
  private readonly splits: ListSplit[] = [];
  private noMore = false;
  start(): void {}
  pollNext(output: import('@runnel/api').ReaderOutput<number>): import('@runnel/api').InputStatus {
    const s = this.splits[0];
    if (s === undefined) return this.noMore ? 'end-of-input' : 'nothing-available';
    const out = output.createOutputForSplit(s.splitId);
    // An empty split (or one read to its end) emits nothing and is released.
    if (s.next < s.values.length) out.collect(s.values[s.next]!, s.values[s.next]!);
    s.next++;
    if (s.next >= s.values.length) {
      output.releaseOutputForSplit(s.splitId);
      this.splits.shift();
    }
    return this.splits.length > 0 || !this.noMore ? (this.splits.length > 0 ? 'more-available' : 'nothing-available') : 'end-of-input';
  }
  isAvailable(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 1));
  }
  addSplits(splits: readonly ListSplit[]): void {
    this.splits.push(...splits.map((s) => ({ ...s })));
  }
  notifyNoMoreSplits(): void {
    this.noMore = true;
  }
  snapshotState(): ListSplit[] {
    return this.splits.map((s) => ({ ...s }));
  }
  close(): void {}
}

/** A bounded source with one split per list. */
export function listSource(lists: readonly (readonly number[])[]): Source<number, ListSplit, ListSplit[]> {
  return {
    boundedness: 'bounded',
    createEnumerator: (ctx) => new ListEnumerator(ctx, lists.map((values, i) => ({ splitId: `s${i}`, values, next: 0 }))),
    restoreEnumerator: (ctx, state) => new ListEnumerator(ctx, state),
    createReader: () => new ListReader(),
    splitSerializer: json<ListSplit>('test.list-split'),
    enumeratorStateSerializer: json<ListSplit[]>('test.list-enumerator'),
  };
}

interface Committable {
  readonly id: string;
  readonly values: string[];
}

/** A two-phase-commit sink into `committed`; commits are idempotent by committable id. */
export function listSink(): { sink: Sink<string, Committable, never>; committed: string[] } {
  const committed: string[] = [];
  const done = new Set<string>();
  const sink: Sink<string, Committable, never> = {
    createWriter(ctx): SinkWriter<string, Committable, never> {
      let buffer: string[] = [];
      return {
        write: (v) => void buffer.push(v),
        flush() {},
        prepareCommit(cp) {
          const c = { id: `${ctx.subtaskIndex}-${ctx.attemptNumber}-${cp}`, values: buffer };
          buffer = [];
          return c.values.length > 0 ? [c] : [];
        },
        close() {},
      };
    },
    createCommitter(): Committer<Committable> {
      return {
        async commit(requests) {
          for (const { committable } of requests) {
            if (done.has(committable.id)) continue;
            done.add(committable.id);
            committed.push(...committable.values);
          }
        },
        close() {},
      };
    },
    committableSerializer: json<Committable>('test.committable'),
  };
  return { sink, committed };
}
