// The options of a `filesystem` SQL table. They are the connector's declarations (`options.ts`) with Flink's table
// semantics: `format` names any format, and the keys under the format's name (`csv.field-delimiter`) are the
// format's, checked by the format when the table's decoder or encoder is made, so they are left out here. Flink
// options Runnel does not implement are refused as "not supported" (rather than as unknown keys), so that a Flink
// DDL that relies on them fails clearly.
import { ConfigurationError, parseOptions, type ParsedOptions } from '@runnel/api/config';
import { FILE_OPTIONS, FileOptions } from '../options.js';

/** Flink filesystem options (or prefixes) that Runnel does not implement, with what they are for. */
const NOT_SUPPORTED: readonly (readonly [string, string])[] = [
  ['auto-compaction', 'file compaction'],
  ['compaction.file-size', 'file compaction'],
  ['sink.rolling-policy.inactivity-interval', 'rolling on inactivity'],
  ['partition.', 'partitioned tables (PARTITIONED BY)'],
  ['sink.partition-commit.', 'partitioned tables (PARTITIONED BY)'],
  ['sink.shuffle-by-partition.enable', 'partitioned tables (PARTITIONED BY)'],
  ['source.path.regex-pattern', 'filtering files by a pattern'],
  ['source.report-statistics', 'statistics'],
];

/**
 * A `filesystem` table's own options, parsed.
 *
 * @internal
 */
export interface FileSystemTableOptions {
  readonly where: string;
  readonly format: string;
  readonly options: ParsedOptions;
}

/**
 * Parses a `filesystem` table's options (all of them, `connector` included).
 *
 * @throws ConfigurationError naming the table and the key
 * @internal
 */
export function parseFileSystemTableOptions(tableName: string, all: Readonly<Record<string, string>>): FileSystemTableOptions {
  const where = `filesystem table '${tableName}'`;
  const format = all[FileOptions.format.key]?.trim();
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key === 'connector' || (format !== undefined && format !== '' && key.startsWith(`${format}.`))) continue;
    const unsupported = NOT_SUPPORTED.find(([k]) => (k.endsWith('.') ? key.startsWith(k) : key === k));
    if (unsupported !== undefined) {
      throw new ConfigurationError(`${where}: not supported: option '${key}' (${unsupported[1]})`, key);
    }
    own[key] = value;
  }
  // `json.ignore-parse-errors` is the DataStream source's; in a table it belongs to the `json` format.
  const declarations = FILE_OPTIONS.filter((o) => o !== FileOptions.ignoreParseErrors);
  const options = parseOptions(declarations, own, { context: where });
  if (format === undefined || !/^[a-z0-9][\w.-]*$/i.test(format)) {
    throw new ConfigurationError(`${where}: option 'format': '${format ?? ''}' is not a format identifier`, 'format');
  }
  return { where, format, options };
}
