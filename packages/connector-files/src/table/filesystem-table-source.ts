// The `filesystem` connector as a SQL table source (Flink's `FileSystemTableSource`, for line formats): reads a
// file or a directory (bounded, or continuously re-listed with `source.monitor-interval`) through the file source,
// decoding each line with the table's format. The changelog is the format's (a CDC format produces updates). Its
// metadata are Flink's: `file.path`, `file.name`, `file.size`, `file.modification-time`.
import { ConfigurationError, closestKey } from '@runnel/api/config';
import type { Source } from '@runnel/api/connector';
import {
  physicalRowType,
  type ChangelogMode,
  type DeadLetter,
  type LogicalType,
  type Row,
  type RowType,
  type ScanRequest,
  type TableFactoryContext,
  type TableSource,
} from '@runnel/api/table';
import { FileSource } from '../file-source.js';
import type { FileEnumeratorState, FileSplit } from '../file-split.js';
import { FileOptions } from '../options.js';
import { parseFileSystemTableOptions } from './filesystem-table-options.js';
import { TableLineDecoder, type FileMetadataKey } from './table-line-decoder.js';

const STRING_NOT_NULL: LogicalType = { root: 'VARCHAR', nullable: false, precision: 2147483647 };

/** Flink's readable metadata of the filesystem connector. */
const METADATA: Readonly<Record<FileMetadataKey, LogicalType>> = {
  'file.path': STRING_NOT_NULL,
  'file.name': STRING_NOT_NULL,
  'file.size': { root: 'BIGINT', nullable: false },
  'file.modification-time': { root: 'TIMESTAMP_LTZ', nullable: false, precision: 3 },
};

/**
 * The `filesystem` table source.
 *
 * @public
 */
export class FileSystemTableSource implements TableSource {
  readonly changelogMode: ChangelogMode;
  readonly readableMetadata: Readonly<Record<string, LogicalType>> = METADATA;
  readonly bounded: boolean;
  private readonly where: string;
  private readonly format: string;
  private readonly path: string;
  private readonly monitorIntervalMs: number | undefined;
  private readonly physical: RowType;

  /** Validates the table's options and format (the format's decoder is made once, to check it). */
  constructor(private readonly context: TableFactoryContext) {
    // A table's options serve reading and writing alike: the sink's options are accepted and not used here.
    const t = parseFileSystemTableOptions(context.tableName, context.options);
    this.where = t.where;
    this.format = t.format;
    this.path = t.options.get(FileOptions.path)!;
    if (this.path === '') throw new ConfigurationError(`${t.where}: option 'path' must not be empty`, 'path');
    this.monitorIntervalMs = t.options.getOptional(FileOptions.monitorInterval);
    this.bounded = this.monitorIntervalMs === undefined;
    this.physical = physicalRowType(context.schema);
    this.changelogMode = context.decoder(this.physical).changelogMode;
  }

  createSource(request: ScanRequest): Source<Row | DeadLetter, FileSplit, FileEnumeratorState> {
    const names = this.physical.fields.map((f) => f.name);
    const positions = request.physicalType.fields.map((f) => {
      const i = names.indexOf(f.name);
      if (i < 0) {
        const near = closestKey(f.name, names);
        throw new ConfigurationError(`${this.where}: no physical column '${f.name}'${near === undefined ? '' : ` (did you mean '${near}'?)`}`);
      }
      return i;
    });
    const identity = positions.length === names.length && positions.every((p, i) => p === i);
    const keys = request.metadataKeys.map((k) => {
      if (!Object.hasOwn(METADATA, k)) {
        throw new ConfigurationError(`${this.where}: no metadata '${k}'; the filesystem connector has ${Object.keys(METADATA).join(', ')}`);
      }
      return k as FileMetadataKey;
    });
    const { context, physical } = this;
    return new FileSource<Row | DeadLetter>({
      path: this.path,
      monitorIntervalMs: this.monitorIntervalMs,
      // One decoder per reader: the format's state (if any) is never shared between subtasks.
      createDecoder: () => new TableLineDecoder(context.decoder(physical), identity ? undefined : positions, keys),
    });
  }

  summary(): string {
    const monitor = this.monitorIntervalMs === undefined ? '' : `, source.monitor-interval=${this.monitorIntervalMs} ms`;
    return `Filesystem(path=${this.path}, format=${this.format}${monitor})`;
  }
}
