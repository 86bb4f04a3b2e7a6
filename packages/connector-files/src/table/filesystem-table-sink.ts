// The `filesystem` connector as a SQL table sink (Flink's `FileSystemTableSink`, for line formats): rows are
// encoded by the table's format, one line each, into the exactly-once file sink, so part files become visible when
// the checkpoint that covers them completes. Rolling follows Flink: by size (`sink.rolling-policy.file-size`) and
// by age (`sink.rolling-policy.rollover-interval`, checked every `sink.rolling-policy.check-interval`). The sink
// accepts the changelog its format can write, as Flink's `FileSystemTableSink` asks its format: a changelog format
// (`debezium-json`, `canal-json`) writes every row kind as an event, a plain format (`json`, `csv`) inserts only, so
// that the planner refuses a query with updates or deletes into it.
import { ConfigurationError } from '@runnel/api/config';
import type { Sink } from '@runnel/api/connector';
import {
  INSERT_ONLY,
  RowKind,
  physicalRowType,
  rowKindShortString,
  type ChangelogMode,
  type Row,
  type SinkRequest,
  type TableFactoryContext,
  type TableSink,
} from '@runnel/api/table';
import { FileSink } from '../file-sink.js';
import type { FileSinkCommittable, FileSinkWriterState } from '../file-sink-state.js';
import { FileDefaults, FileOptions } from '../options.js';
import { parseFileSystemTableOptions } from './filesystem-table-options.js';

/**
 * The `filesystem` table sink.
 *
 * @public
 */
export class FileSystemTableSink implements TableSink {
  /**
   * `sink.parallelism`, when given. The table-sink contract has no field for it yet, so it is offered here for a
   * planner that looks for it; without one the sink runs at the parallelism of its input.
   */
  readonly parallelism: number | undefined;
  private readonly where: string;
  private readonly format: string;
  /** The row kinds the table's format writes (insert-only unless its encoder says more). */
  private readonly formatMode: ChangelogMode;
  private readonly path: string;
  private readonly settings: {
    readonly rollingFileSize: number;
    readonly rolloverIntervalMs: number;
    readonly rolloverCheckIntervalMs: number;
    readonly fileNamePrefix: string;
  };

  /** Validates the table's options and format (the format's encoder is made once, to check it). */
  constructor(private readonly context: TableFactoryContext) {
    const t = parseFileSystemTableOptions(context.tableName, context.options);
    // A table's options serve reading and writing alike: the source's options are accepted and not used here.
    const o = t.options;
    this.where = t.where;
    this.format = t.format;
    this.path = o.get(FileOptions.path)!;
    if (this.path === '') throw new ConfigurationError(`${t.where}: option 'path' must not be empty`, 'path');
    this.parallelism = o.getOptional(FileOptions.sinkParallelism);
    this.settings = {
      rollingFileSize: o.get(FileOptions.rollingFileSize),
      rolloverIntervalMs: o.getOptional(FileOptions.rolloverInterval) ?? FileDefaults.rolloverInterval,
      rolloverCheckIntervalMs: o.get(FileOptions.rolloverCheckInterval),
      fileNamePrefix: o.get(FileOptions.fileNamePrefix),
    };
    this.formatMode = context.encoder(physicalRowType(context.schema)).changelogMode ?? INSERT_ONLY;
  }

  /**
   * What the format writes, whatever the query produces (Flink's `FileSystemTableSink` returns its format's mode):
   * inserts only for a plain format, so the planner refuses a query with updates or deletes into it.
   */
  changelogMode(_requested: ChangelogMode): ChangelogMode {
    return this.formatMode;
  }

  createSink(request: SinkRequest): Sink<Row, FileSinkCommittable, FileSinkWriterState> {
    if (request.metadataKeys.length > 0) {
      throw new ConfigurationError(`${this.where}: no writable metadata (asked for ${request.metadataKeys.join(', ')})`);
    }
    const encoder = this.context.encoder(request.consumedType);
    const where = this.where;
    const format = this.format;
    // A kind the format cannot write never reaches the sink through the planner; from elsewhere it fails here.
    const kinds = (encoder.changelogMode ?? INSERT_ONLY).kinds;
    const writes = [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE].map((k) => kinds.includes(k));
    return new FileSink<Row>({
      path: this.path,
      ...this.settings,
      partSuffix: `.${this.format}`,
      encode: (row) => {
        if (!writes[row.kind]) {
          throw new Error(
            kinds.length === 1 && kinds[0] === RowKind.INSERT
              ? `${where}: files take inserts only, got a ${rowKindShortString(row.kind)} row`
              : `${where}: format '${format}' cannot write a ${rowKindShortString(row.kind)} row`,
          );
        }
        return encoder.encode(row);
      },
    });
  }

  summary(): string {
    return `Filesystem(path=${this.path}, format=${this.format})`;
  }
}
