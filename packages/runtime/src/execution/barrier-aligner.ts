// Barrier alignment of a task with several input channels (exactly-once checkpoints): a channel that delivered the
// barrier of checkpoint N is blocked until every other channel delivered it too (or ended), then the task takes its
// part of N. Kept apart from the task so that the orderings that matter can be tested one by one.
//
// A barrier of a checkpoint that was already aborted, or whose alignment already completed, is ignored. A checkpoint
// can be aborted (a task finished, a timeout) while its barriers are still in flight: if the task released its
// alignment on the abort and a late barrier of the same checkpoint then started a new one, the channels that had
// delivered their barrier before the abort would never deliver it again and the task would wait forever with that
// channel blocked (campaign seed 100136: a union of a finished file source and a generator hung the job).
// Flink's barrier handler keeps the same rule (a barrier at or below the last completed or cancelled id is dropped).

/** What the aligner needs of an input channel. @internal */
export interface AlignedChannel {
  /** Set while the channel holds back its records (it delivered the barrier being aligned). */
  blocked: boolean;
  /** The producer ended: the channel sends no more barriers, so it counts as aligned. */
  readonly ended: boolean;
}

/** Tracks the alignment of one task's input channels. @internal */
export class BarrierAligner<C extends AlignedChannel> {
  private current: { id: number; kind: number; startedAt: number; blocked: Set<C>; done: boolean } | undefined;
  /** The newest checkpoint whose alignment completed or that was aborted: barriers at or below it are ignored. */
  private settledUpTo = -1;

  /**
   * @param channels - the task's input channels (the array may grow while the task is set up)
   * @param aligned - called once every channel delivered the barrier or ended; the task calls `release()` once its
   *   part of the checkpoint is captured
   */
  constructor(
    private readonly channels: readonly C[],
    private readonly aligned: (id: number, kind: number, startedAt: number) => void,
  ) {}

  /** The checkpoint being aligned, if any. */
  get aligningId(): number | undefined {
    return this.current?.id;
  }

  /** A channel delivered the barrier of checkpoint `id`. */
  onBarrier(ch: C, id: number, kind: number): void {
    if (id <= this.settledUpTo) return;
    const a = this.current;
    if (a && id < a.id) return; // a barrier of an older checkpoint, abandoned upstream
    if (a && id > a.id) this.release(); // a newer checkpoint: the one being aligned was abandoned upstream
    const c = (this.current ??= { id, kind, startedAt: performance.now(), blocked: new Set(), done: false });
    c.blocked.add(ch);
    ch.blocked = true;
    this.check();
  }

  /** A channel ended: it counts as aligned. */
  onChannelEnded(): void {
    if (this.current) this.check();
  }

  /** Checkpoint `id` was aborted: its alignment (or an older one) is released and its late barriers are ignored. */
  abort(id: number): void {
    if (this.current && this.current.id <= id) this.release();
    if (id > this.settledUpTo) this.settledUpTo = id;
  }

  /** Unblocks the channels: the task captured its part of the checkpoint (or gave up on it). */
  release(): void {
    const a = this.current;
    if (!a) return;
    for (const c of a.blocked) c.blocked = false;
    this.current = undefined;
    if (a.id > this.settledUpTo) this.settledUpTo = a.id;
  }

  /** The alignment in words, for diagnostics. */
  describe(): string | undefined {
    const a = this.current;
    return a && `aligning checkpoint ${a.id} (${a.blocked.size} of ${this.channels.length} channels blocked)`;
  }

  private check(): void {
    const a = this.current!;
    if (a.done) return; // aligned already, the task is capturing its part
    for (const c of this.channels) if (!c.ended && !a.blocked.has(c)) return;
    a.done = true;
    this.aligned(a.id, a.kind, a.startedAt);
  }
}
