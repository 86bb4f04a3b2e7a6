// The `filesystem` connector factory: parses string options (SQL DDL `WITH (...)`) against its declarations and
// turns them into a FileSource or FileSink. Only `format` = `json` (JSON lines) exists today; other formats fail with a clear message instead of
// being read wrongly.
import type { ConnectorContext, ConnectorFactory } from '@runnel/api/connector';
import { parseOptions, type ParsedOptions } from '@runnel/api/config';
import { FileSink } from './file-sink.js';
import { FileSource } from './file-source.js';
import { FILE_OPTIONS, FileOptions } from './options.js';

/** The table's options, validated and typed (the source and sink check what they need of the values). */
function optionsOf(context: ConnectorContext): ParsedOptions {
  const options = parseOptions(FILE_OPTIONS, context.options, { context: `filesystem table '${context.name}'` });
  const format = options.get(FileOptions.format);
  if (format !== 'json') {
    throw new Error(`filesystem table '${context.name}': not supported: format '${format}' for the filesystem connector (supported: json)`);
  }
  return options;
}

/**
 * The `filesystem` connector factory (JSON lines).
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
    });
  },
};
