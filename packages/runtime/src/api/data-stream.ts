// DataStream (and KeyedStream, which extends it and which keyBy creates): the fluent API over transformations. Each method records a transformation and returns a stream of
// its output; operator settings (uid, name, parallelism, chaining) apply to the operator that produced the stream.
import type { Sink, WatermarkStrategy } from '@runnel/api';
import { CollectSink } from '@runnel/connector-datagen';
import type { Transformation } from '../graph/transformation.js';
import type { StreamExecutionEnvironment } from './stream-execution-environment.js';
import type {
  KeyedProcessFunction,
  ReduceFunction,
  CoProcessFunction,
  KeyedCoProcessFunction,
  FilterFunction,
  FlatMapFunction,
  KeySelector,
  MapFunction,
  ProcessFunction,
} from './functions.js';
import type { OutputTag } from './output-tag.js';
import type { RecordCodec } from './record-codec.js';
import { FilterOperator, FlatMapOperator, MapOperator } from '../operators/basic-operators.js';
import { KeyedProcessOperator, KeyedReduceOperator, ProcessOperator } from '../operators/process-operators.js';
import { SinkOperator } from '../operators/sink-operator.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-operator.js';
import { ConnectedStreams } from './connected-streams.js';
import { AllWindowedStream, WindowedStream } from './windowed-stream.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import { fieldAggregation, type ComparableField, type FieldAggregation, type FieldAggregationKind, type NumericField } from './field-aggregators.js';
import { RollingAggregationOperator } from './rolling-aggregation-operator.js';

/**
 * A stream of records of type T.
 *
 * @public
 */
export class DataStream<T> {
  constructor(
    readonly env: StreamExecutionEnvironment,
    /** @internal */
    readonly transformation: Transformation,
  ) {}

  private oneInput<R>(name: string, factory: Transformation['operatorFactory']): SingleOutputStreamOperator<R> {
    const t = this.env.addTransformation(name, 'one-input', [this.transformation], factory);
    return new SingleOutputStreamOperator<R>(this.env, t);
  }

  map<R>(fn: MapFunction<T, R>, name = 'Map'): SingleOutputStreamOperator<R> {
    return this.oneInput<R>(name, (ctx) => new MapOperator(ctx, fn));
  }

  filter(fn: FilterFunction<T>, name = 'Filter'): SingleOutputStreamOperator<T> {
    return this.oneInput<T>(name, (ctx) => new FilterOperator(ctx, fn));
  }

  flatMap<R>(fn: FlatMapFunction<T, R>, name = 'FlatMap'): SingleOutputStreamOperator<R> {
    return this.oneInput<R>(name, (ctx) => new FlatMapOperator(ctx, fn));
  }

  /** A ProcessFunction: timestamps and side outputs (timers need a keyed stream). */
  process<R>(fn: ProcessFunction<T, R>, name = 'Process'): SingleOutputStreamOperator<R> {
    return this.oneInput<R>(name, (ctx) => new ProcessOperator(ctx, fn, false));
  }

  /** Partitions by key: records with equal keys go to the same subtask and share keyed state. */
  keyBy<K>(keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    const t = this.env.addTransformation('keyBy', 'partition', [this.transformation], undefined, {
      partition: { kind: 'hash', keySelector: keySelector as KeySelector<unknown, unknown> },
    });
    return new KeyedStream<T, K>(this.env, t, keySelector);
  }

  private partition(kind: 'rebalance' | 'broadcast' | 'forward' | 'global'): DataStream<T> {
    const t = this.env.addTransformation(kind, 'partition', [this.transformation], undefined, { partition: { kind } });
    return new DataStream<T>(this.env, t);
  }

  /** Round-robin distribution to all downstream subtasks. */
  rebalance(): DataStream<T> {
    return this.partition('rebalance');
  }

  /** Every record to every downstream subtask. */
  broadcast(): DataStream<T> {
    return this.partition('broadcast');
  }

  /** Subtask i to subtask i (needs equal parallelism). */
  forward(): DataStream<T> {
    return this.partition('forward');
  }

  /** Everything to the first downstream subtask. */
  global(): DataStream<T> {
    return this.partition('global');
  }

  /** Merges streams of the same type. */
  union(...others: DataStream<T>[]): DataStream<T> {
    const t = this.env.addTransformation('union', 'union', [this.transformation, ...others.map((o) => o.transformation)], undefined);
    return new DataStream<T>(this.env, t);
  }

  /** Connects two streams for a two-input (co-)process function. */
  connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    return new ConnectedStreams<T, U>(this, other);
  }

  /**
   * This stream and `other` into one two-input operator: a KeyedCoProcessFunction when both are keyed (shared keyed
   * state and timers), a CoProcessFunction when neither is. Here rather than in ConnectedStreams so that
   * connected-streams.ts needs no values of this module (no import cycle).
   *
   * @internal
   */
  coProcessWith<U, R>(other: DataStream<U>, fn: CoProcessFunction<T, U, R> | KeyedCoProcessFunction<any, T, U, R>, name: string): SingleOutputStreamOperator<R> {
    if (this instanceof KeyedStream && other instanceof KeyedStream) {
      const t = this.env.addTransformation(name, 'two-input', [this.transformation, other.transformation], (ctx) => new KeyedProcessOperator(ctx, fn as KeyedCoProcessFunction<any, T, U, R>, true), {
        inputIndexes: [0, 1],
      });
      t.keySelectors = [this.keySelector as KeySelector<unknown, unknown>, other.keySelector as KeySelector<unknown, unknown>];
      return new SingleOutputStreamOperator<R>(this.env, t);
    }
    if (this instanceof KeyedStream || other instanceof KeyedStream) {
      throw new Error('connect(): key both inputs (ConnectedStreams.keyBy) or neither');
    }
    const t = this.env.addTransformation(name, 'two-input', [this.transformation, other.transformation], (ctx) => new ProcessOperator(ctx, fn as CoProcessFunction<T, U, R>, true), { inputIndexes: [0, 1] });
    return new SingleOutputStreamOperator<R>(this.env, t);
  }

  /** Assigns timestamps and generates watermarks from the records (upstream watermarks are replaced). */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>, name = 'Timestamps/Watermarks'): SingleOutputStreamOperator<T> {
    return this.oneInput<T>(name, (ctx) => new TimestampsAndWatermarksOperator<T>(ctx, strategy));
  }

  /** Windows over the whole stream (parallelism 1, as Flink's windowAll). */
  windowAll(assigner: WindowAssigner): AllWindowedStream<T> {
    return new AllWindowedStream<T>(this.env, this.global(), assigner);
  }

  /** Writes to a Sink. */
  sinkTo(sink: Sink<T, any, any>, name = 'Sink'): DataStreamSink<T> {
    const t = this.env.addTransformation(name, 'sink', [this.transformation], (ctx) => new SinkOperator<T>(ctx, sink as Sink<T, unknown, unknown>));
    return new DataStreamSink<T>(t);
  }

  /**
   * Sends the records to the client; read them from the JobExecutionResult's `collected` (channel 'collect'). The
   * sink is `@runnel/connector-datagen`'s `CollectSink` (batches of 1024, and whatever is buffered at each checkpoint
   * and at end of input; at least once across failover). With `maxDelayMs`, records also leave after at most that
   * long (live results, e.g. the SQL client's SELECT).
   */
  collect(channel = 'collect', name = 'Collect', options: { readonly maxDelayMs?: number } = {}): DataStreamSink<T> {
    return this.sinkTo(new CollectSink<T>(channel, 1024, options.maxDelayMs), name);
  }

  /** Prints records to stdout (`<subtask>> record` when parallel), as Flink's print(). */
  print(prefix?: string): DataStreamSink<T> {
    return this.sinkTo(
      {
        createWriter: (ctx) => ({
          write(v: T) {
            const p = ctx.parallelism > 1 ? `${ctx.subtaskIndex + 1}> ` : '';
            process.stdout.write(`${prefix ? prefix + ':' : ''}${p}${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
          },
          flush() {},
          close() {},
        }),
      },
      'Print',
    );
  }
}

/** Operator settings, shared by streams produced by an operator and by sinks (their setters delegate here). */
function configure(t: Transformation) {
  return {
    uid(uid: string) {
      if (!uid) throw new Error('uid must not be empty');
      t.uid = uid;
    },
    name(name: string) {
      t.name = name;
    },
    parallelism(p: number) {
      if (!(Number.isInteger(p) && p >= 1)) throw new RangeError(`parallelism must be a positive integer, got ${p}`);
      t.parallelism = p;
    },
    maxParallelism(p: number) {
      t.maxParallelism = p;
    },
  };
}

/**
 * The stream produced by an operator; configures that operator.
 *
 * @public
 */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  /** A stable id for the operator's state in checkpoints and savepoints. */
  uid(uid: string): this {
    configure(this.transformation).uid(uid);
    return this;
  }
  name(name: string): this {
    configure(this.transformation).name(name);
    return this;
  }
  setParallelism(parallelism: number): this {
    configure(this.transformation).parallelism(parallelism);
    return this;
  }
  setMaxParallelism(maxParallelism: number): this {
    configure(this.transformation).maxParallelism(maxParallelism);
    return this;
  }
  /** Neither chain this operator to its predecessor nor its successors to it. */
  disableChaining(): this {
    this.transformation.chaining = 'never';
    return this;
  }
  /** Begin a new chain at this operator. */
  startNewChain(): this {
    this.transformation.chaining = 'head';
    return this;
  }
  /**
   * Writes this operator's records to the network with `codec` instead of the generic value codec: on every
   * channel of its main output (side outputs carry other types and keep the generic codec), and the consumers
   * read them back with the same codec. For outputs of one known type, such as SQL rows, a codec compiled for
   * that type is smaller and faster than the self-describing generic encoding. Records passed to chained
   * operators (direct calls) are not encoded at all.
   *
   * The codec must be created by the job function (every worker thread runs it again, so producer and consumer
   * have equal codecs) and must satisfy {@link RecordCodec}'s contract.
   *
   * @beta
   */
  setRecordCodec(codec: RecordCodec<T>): this {
    if (typeof codec?.write !== 'function' || typeof codec.read !== 'function') {
      throw new TypeError('setRecordCodec expects an object with write(writer, value) and read(reader) methods');
    }
    this.transformation.recordCodec = codec as RecordCodec<unknown>;
    return this;
  }
  /** The records this operator emitted to a side output. */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t = this.env.addTransformation(`side-output(${tag.id})`, 'side-output', [this.transformation], undefined, { sideOutputTag: tag.id });
    return new DataStream<X>(this.env, t);
  }
}

/**
 * A sink in the job; configures the sink operator.
 *
 * @public
 */
export class DataStreamSink<T> {
  declare readonly __type?: T;
  constructor(/** @internal */ readonly transformation: Transformation) {}
  uid(uid: string): this {
    configure(this.transformation).uid(uid);
    return this;
  }
  name(name: string): this {
    configure(this.transformation).name(name);
    return this;
  }
  setParallelism(parallelism: number): this {
    configure(this.transformation).parallelism(parallelism);
    return this;
  }
  disableChaining(): this {
    this.transformation.chaining = 'never';
    return this;
  }
}

/**
 * A stream partitioned by a key selector.
 *
 * @public
 */
export class KeyedStream<T, K> extends DataStream<T> {
  constructor(
    env: StreamExecutionEnvironment,
    transformation: Transformation,
    readonly keySelector: KeySelector<T, K>,
  ) {
    super(env, transformation);
  }

  /** @internal */
  keyedOperator<R>(name: string, factory: Transformation['operatorFactory']): SingleOutputStreamOperator<R> {
    const t = this.env.addTransformation(name, 'one-input', [this.transformation], factory);
    t.keySelectors = [this.keySelector as KeySelector<unknown, unknown>];
    return new SingleOutputStreamOperator<R>(this.env, t);
  }

  /** A KeyedProcessFunction with keyed state and event-/processing-time timers. */
  override process<R>(fn: KeyedProcessFunction<K, T, R>, name = 'KeyedProcess'): SingleOutputStreamOperator<R> {
    return this.keyedOperator<R>(name, (ctx) => new KeyedProcessOperator(ctx, fn, false));
  }

  /** A rolling reduce: emits the running result per key for every record. */
  reduce(fn: ReduceFunction<T>, name = 'Keyed Reduce'): SingleOutputStreamOperator<T> {
    return this.keyedOperator<T>(name, (ctx) => new KeyedReduceOperator(ctx, fn));
  }

  /**
   * A rolling sum of a `number` or `bigint` field (a property name, or a position of a tuple record): emits, for every
   * record, its key's running total in a copy of the key's first record (as in Flink, every field but `field` comes
   * from the first record). Numbers add as doubles, bigints exactly; a record whose field is missing, `null`, or of the
   * other type fails the job naming the operator and field.
   */
  sum(field: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('sum', field);
  }

  /**
   * A rolling minimum of a field (`number`, `bigint`, `string` or `Date`): emits, for every record, the key's minimum
   * so far. As in Flink, `min` returns the minimum value, whereas `minBy` returns the record that has the minimum value
   * in this field: `min` replaces only `field` and keeps every other field from the key's first record, so it may
   * emit a record that never occurred. NaN is greater than every number (as in Flink).
   */
  min(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('min', field);
  }

  /** A rolling maximum of a field; like {@link KeyedStream.min}, only `field` changes (use `maxBy` for whole records). */
  max(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('max', field);
  }

  /**
   * Emits, for every record, the record with the smallest `field` of its key so far (whole records, unlike `min`).
   * Ties: with `first` (default) the earlier record stays, otherwise the later one replaces it.
   */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.aggregateField('minBy', field, first);
  }

  /** Emits, for every record, the record with the largest `field` of its key so far; `first` decides ties as in `minBy`. */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.aggregateField('maxBy', field, first);
  }

  /**
   * The rolling reduce with a field aggregation. The operator's name (`Keyed sum(amount)`) names the aggregation and
   * field, so its derived uid is stable and differs between aggregations of the same stream.
   */
  private aggregateField(kind: FieldAggregationKind, field: string | number, first?: boolean): SingleOutputStreamOperator<T> {
    const agg = fieldAggregation<T>(kind, field, first);
    return this.keyedOperator<T>(`Keyed ${agg.label}`, (ctx) => new RollingAggregationOperator(ctx, agg as FieldAggregation<unknown>));
  }

  /** Windows per key. */
  window(assigner: WindowAssigner): WindowedStream<T, K> {
    return new WindowedStream<T, K>(this, assigner);
  }
}
