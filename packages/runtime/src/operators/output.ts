// Outputs connect operators: a chained output calls the next operator synchronously; a network output writes into
// a record writer; an operator with several downstream edges (fan-out, side outputs) gets a router. Records carry
// their timestamp as a separate argument so that no wrapper object is allocated per record.

/**
 * Where an operator emits records, side-output records, watermarks and idleness.
 *
 * @internal
 */
export interface Output<T> {
  collect(value: T, timestamp: number): void;
  collectSide(tag: string, value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
  /** `true` = this output's producer is idle and must not hold back watermarks downstream. */
  emitIdle(idle: boolean): void;
}

/** @internal */
export interface CountingOutput<T> extends Output<T> {
  /** Records emitted on the main output (numRecordsOut). */
  readonly counter: { count: number };
}

/**
 * Routes an operator's emissions to all its downstream outputs: main records to the untagged ones, side-output
 * records to the outputs of that tag (dropped when no stream consumes the tag, as in Flink).
 *
 * @internal
 */
export class RouterOutput<T> implements CountingOutput<T> {
  private readonly main: Output<T>[];
  private readonly single: Output<T> | undefined;
  private readonly sides = new Map<string, Output<unknown>[]>();
  private readonly all: Output<unknown>[];

  constructor(
    outputs: readonly { output: Output<unknown>; tag: string | undefined }[],
    readonly counter: { count: number } = { count: 0 },
  ) {
    this.main = outputs.filter((o) => o.tag === undefined).map((o) => o.output as Output<T>);
    this.single = this.main.length === 1 ? this.main[0] : undefined;
    for (const o of outputs) {
      if (o.tag === undefined) continue;
      let l = this.sides.get(o.tag);
      if (!l) this.sides.set(o.tag, (l = []));
      l.push(o.output);
    }
    this.all = outputs.map((o) => o.output);
  }

  collect(value: T, timestamp: number): void {
    this.counter.count++;
    if (this.single !== undefined) {
      this.single.collect(value, timestamp);
      return;
    }
    const m = this.main;
    for (let i = 0; i < m.length; i++) m[i]!.collect(value, timestamp);
  }

  collectSide(tag: string, value: unknown, timestamp: number): void {
    const l = this.sides.get(tag);
    if (l === undefined) return;
    for (let i = 0; i < l.length; i++) l[i]!.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (let i = 0; i < this.all.length; i++) this.all[i]!.emitWatermark(watermark);
  }

  emitIdle(idle: boolean): void {
    for (let i = 0; i < this.all.length; i++) this.all[i]!.emitIdle(idle);
  }
}
