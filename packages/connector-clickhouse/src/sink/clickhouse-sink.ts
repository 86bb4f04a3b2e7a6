// The ClickHouse sink of the DataStream API: at-least-once (batches sent as they fill, bounded in flight, flushed at
// checkpoints: batching-sink-writer.ts) or exactly-once (a checkpoint's rows inserted when it completes, as
// deterministic batches: exactly-once-sink-writer.ts and clickhouse-committer.ts). The SQL connector uses the same
// sink with a row adapter over SQL rows.
import type { VersionedSerializer } from '@runnel/api';
import type { Committer, Sink, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import type { RowKind } from '@runnel/api/table';
import { BatchingSinkWriter } from './batching-sink-writer.js';
import { ClickHouseCommitter } from './clickhouse-committer.js';
import { clickhouseSinkSettings, type ClickHouseDeliveryGuarantee, type ClickHouseSinkOptions, type ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import { clickhouseCommittableSerializer, type ClickHouseCommittable } from './clickhouse-sink-state.js';
import { ExactlyOnceSinkWriter } from './exactly-once-sink-writer.js';

/**
 * Writes a stream into a ClickHouse table.
 *
 * @example
 * ```ts
 * stream.sinkTo(
 *   ClickHouseSink.builder<PageView>()
 *     .url('http://ch1:8123,http://ch2:8123')
 *     .table('analytics', 'page_views')
 *     .column('app', (v) => v.app)
 *     .column('ts', (v) => v.timestamp)
 *     .build(),
 * );
 * ```
 *
 * @public
 */
export class ClickHouseSink<T> implements Sink<T, ClickHouseCommittable> {
  readonly committableSerializer: VersionedSerializer<ClickHouseCommittable> = clickhouseCommittableSerializer;
  /** Present with `exactly-once` only. */
  readonly createCommitter?: () => Committer<ClickHouseCommittable>;
  private readonly settings: ClickHouseSinkSettings<T>;

  /** @throws ConfigurationError for a missing or invalid option */
  constructor(options: ClickHouseSinkOptions<T>) {
    this.settings = clickhouseSinkSettings(options);
    if (this.settings.deliveryGuarantee === 'exactly-once') {
      const s = this.settings as ClickHouseSinkSettings<unknown>;
      this.createCommitter = () => new ClickHouseCommitter(s);
    }
  }

  /** The delivery guarantee in effect. */
  get deliveryGuarantee(): ClickHouseDeliveryGuarantee {
    return this.settings.deliveryGuarantee;
  }

  createWriter(context: SinkWriterContext): SinkWriter<T, ClickHouseCommittable> {
    if (this.settings.deliveryGuarantee === 'exactly-once') return new ExactlyOnceSinkWriter(this.settings, context);
    return new BatchingSinkWriter(this.settings, context) as SinkWriter<T, ClickHouseCommittable>;
  }

  /** A one-line description without secrets. */
  toString(): string {
    const s = this.settings;
    return `ClickHouse(url=${s.shards.map((r) => r.join(',')).join(';')}, table=${s.database}.${s.table}, strategy=${s.updateStrategy}, delivery=${s.deliveryGuarantee})`;
  }

  /** A builder with typed column getters. */
  static builder<T>(): ClickHouseSinkBuilder<T> {
    return new ClickHouseSinkBuilder<T>();
  }
}

/**
 * Builds a {@link ClickHouseSink} from typed column getters.
 *
 * @public
 */
export class ClickHouseSinkBuilder<T> {
  private readonly getters: [string, (element: T) => unknown][] = [];
  private options: Partial<Omit<ClickHouseSinkOptions<T>, 'rows'>> = {};
  private kindOf: ((element: T) => RowKind) | undefined;

  /** The nodes: `http://h:8123`, replicas separated by `,`, shards by `;` (or arrays). */
  url(url: ClickHouseSinkOptions<T>['url']): this {
    this.options = { ...this.options, url };
    return this;
  }

  /** The target table (and its database; default `default`). */
  table(database: string, table: string): this;
  table(table: string): this;
  table(a: string, b?: string): this {
    this.options = b === undefined ? { ...this.options, table: a } : { ...this.options, database: a, table: b };
    return this;
  }

  credentials(username: string, password: string): this {
    this.options = { ...this.options, username, password };
    return this;
  }

  /** A target column and how to read its value from an element. */
  column(name: string, get: (element: T) => unknown): this {
    this.getters.push([name, get]);
    return this;
  }

  /** The changelog kind of an element (default: all inserts). */
  rowKind(kind: (element: T) => RowKind): this {
    this.kindOf = kind;
    return this;
  }

  /** Any other option (batch size, strategy, delivery guarantee, sharding key, ...). */
  with(options: Partial<Omit<ClickHouseSinkOptions<T>, 'rows' | 'url' | 'table'>>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** @throws ConfigurationError for a missing or invalid option */
  build(): ClickHouseSink<T> {
    const getters = this.getters.map(([, g]) => g);
    const kind = this.kindOf;
    return new ClickHouseSink<T>({
      ...(this.options as ClickHouseSinkOptions<T>),
      rows: {
        columns: this.getters.map(([c]) => c),
        value: (e, i) => getters[i]!(e),
        getters,
        ...(kind === undefined ? {} : { kind }),
      },
    });
  }
}
