// Finds what a table needs before a job is planned: its connector factory (by `'connector'`) and the format
// factories its options name (`format`, `key.format`, `value.format`). Finding plugins may import packages, which
// is asynchronous; planning itself is synchronous, so tables are prepared first.
import type { ConnectorFactory } from '@runnel/api';
import type { FormatFactory } from '@runnel/api/table';
import { ConfigurationError } from '@runnel/api/config';
import { findPlugin } from '@runnel/runtime';

/** The format option keys a table may have, and the prefix of each format's own options. @internal */
export const FORMAT_KEYS = ['format', 'key.format', 'value.format'] as const;

/** A table's connector and formats. @internal */
export interface PreparedTable {
  readonly factory: ConnectorFactory;
  readonly formats: ReadonlyMap<string, FormatFactory>;
}

/** Where plugins are searched: around this package (its dependencies) first. @internal */
export const SQL_PACKAGE_URL = import.meta.url;

/**
 * Finds the connector and format factories of a table's options.
 *
 * @internal
 */
export async function prepareTable(tableName: string, options: Readonly<Record<string, string>>, from: readonly string[]): Promise<PreparedTable> {
  const id = options['connector'];
  if (id === undefined) throw new ConfigurationError(`Table '${tableName}' has no 'connector' option: add WITH ('connector' = '...')`, 'connector');
  const factory = await findPlugin<ConnectorFactory>('connectors', id, [...from, SQL_PACKAGE_URL]);
  const formats = new Map<string, FormatFactory>();
  for (const key of FORMAT_KEYS) {
    const f = options[key];
    if (f !== undefined) formats.set(key, await findPlugin<FormatFactory>('formats', f, [...from, SQL_PACKAGE_URL]));
  }
  return { factory, formats };
}
