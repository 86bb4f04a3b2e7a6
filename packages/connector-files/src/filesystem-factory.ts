// The `filesystem` connector factory: parses string options (SQL DDL `WITH (...)`) against its declarations and
// turns them into a FileSource or FileSink. DataStream jobs (`createSource`/`createSink`) read and write JSON lines
// (`format` = `json`; other formats fail with a clear message instead of being read wrongly). SQL tables
// (`createTableSource`/`createTableSink`) take any format through the table's decoder and encoder.
import type { ConnectorContext, ConnectorFactory } from '@runnel/api/connector';
import { ConfigurationError, parseOptions, type ParsedOptions } from '@runnel/api/config';
import type { TableFactoryContext, TableSink, TableSource } from '@runnel/api/table';
import { FileSink } from './file-sink.js';
import { FileSource } from './file-source.js';
import { FILE_OPTIONS, FileOptions } from './options.js';
import { FileSystemTableSink } from './table/filesystem-table-sink.js';
import { FileSystemTableSource } from './table/filesystem-table-source.js';

/** The table's options, validated and typed (the source and sink check what they need of the values). */
function optionsOf(context: ConnectorContext): ParsedOptions {
  const where = `filesystem table '${context.name}'`;
  const options = parseOptions(FILE_OPTIONS, context.options, { context: where });
  const format = options.get(FileOptions.format);
  if (format !== 'json') {
    throw new Error(`${where}: not supported: format '${format}' for the filesystem connector (supported: json)`);
  }
  if (options.isSet(FileOptions.sinkParallelism)) {
    throw new ConfigurationError(
      `${where}: option 'sink.parallelism' applies to SQL tables; in a DataStream job set the sink's parallelism on the stream`,
      'sink.parallelism',
    );
  }
  return options;
}

/**
 * The `filesystem` connector factory (JSON lines in DataStream jobs, any line format in SQL tables).
 *
 * @public
 */
export const filesystemConnectorFactory: ConnectorFactory = {
  identifier: 'filesystem',
  apiVersion: '^0.1.0',
  options: FILE_OPTIONS,
  createSource(context: ConnectorContext): FileSource<unknown> {
    const o = optionsOf(context);
    return new FileSource<unknown>({
      path: o.get(FileOptions.path)!,
      monitorIntervalMs: o.get(FileOptions.monitorInterval),
      ignoreParseErrors: o.get(FileOptions.ignoreParseErrors),
    });
  },
  createSink(context: ConnectorContext): FileSink<unknown> {
    const o = optionsOf(context);
    return new FileSink<unknown>({
      path: o.get(FileOptions.path)!,
      rollingFileSize: o.get(FileOptions.rollingFileSize),
      fileNamePrefix: o.get(FileOptions.fileNamePrefix),
      // Time-based rolling only when asked for: DataStream sinks did not roll by time before it existed.
      rolloverIntervalMs: o.getOptional(FileOptions.rolloverInterval),
      rolloverCheckIntervalMs: o.get(FileOptions.rolloverCheckInterval),
    });
  },
  createTableSource(context: TableFactoryContext): TableSource {
    return new FileSystemTableSource(context);
  },
  createTableSink(context: TableFactoryContext): TableSink {
    return new FileSystemTableSink(context);
  },
};
