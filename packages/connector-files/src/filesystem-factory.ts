// The `filesystem` connector factory: turns validated string options (SQL DDL `WITH (...)`) into a FileSource or
// FileSink. Only `format` = `json` (JSON lines) exists today; other formats fail with a clear message instead of
// being read wrongly.
import type { ConnectorContext, ConnectorFactory } from '@runnel/api/connector';
import { FileSink } from './file-sink.js';
import { FileSource } from './file-source.js';
import { FILE_OPTION_SPECS, FileOptionKeys, parseBoolean, parseDuration, parseMemorySize } from './options.js';

function required(context: ConnectorContext, key: string): string {
  const value = context.options[key];
  if (value === undefined || value.length === 0) {
    throw new Error(`${context.name}: the filesystem connector needs option '${key}'`);
  }
  return value;
}

function checkFormat(context: ConnectorContext): void {
  const format = required(context, FileOptionKeys.format);
  if (format !== 'json') {
    throw new Error(`${context.name}: not supported: format '${format}' for the filesystem connector (supported: json)`);
  }
}

/**
 * The `filesystem` connector factory (JSON lines).
 *
 * @public
 */
export const filesystemConnectorFactory: ConnectorFactory = {
  identifier: 'filesystem',
  apiVersion: '^0.1.0',
  options: FILE_OPTION_SPECS,
  createSource(context: ConnectorContext): FileSource<unknown> {
    checkFormat(context);
    const interval = context.options[FileOptionKeys.monitorInterval];
    const ignore = context.options[FileOptionKeys.ignoreParseErrors];
    return new FileSource<unknown>({
      path: required(context, FileOptionKeys.path),
      monitorIntervalMs: interval === undefined ? undefined : parseDuration(interval, FileOptionKeys.monitorInterval),
      ignoreParseErrors: ignore === undefined ? false : parseBoolean(ignore, FileOptionKeys.ignoreParseErrors),
    });
  },
  createSink(context: ConnectorContext): FileSink<unknown> {
    checkFormat(context);
    const size = context.options[FileOptionKeys.rollingFileSize];
    return new FileSink<unknown>({
      path: required(context, FileOptionKeys.path),
      rollingFileSize: size === undefined ? undefined : parseMemorySize(size, FileOptionKeys.rollingFileSize),
      fileNamePrefix: context.options[FileOptionKeys.fileNamePrefix],
    });
  },
};
