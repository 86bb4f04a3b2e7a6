// The lookup source of a `jdbc` table from a connector context (what SQL lookup joins will call): the key columns
// are the context's primary key, the returned columns its columns (typed by the MySQL table's default mapping),
// the cache and retries from `lookup.*`.
import type { ConnectorContext } from '@runnel/api/connector';
import { ConfigurationError } from '@runnel/api/config';
import { JdbcOptions } from '../jdbc/jdbc-options.js';
import { MySqlLookupSource } from '../lookup/mysql-lookup-source.js';
import { parseJdbcTableOptions } from './jdbc-table-options.js';

/**
 * The lookup source of a `jdbc` table.
 *
 * @public
 */
export function createJdbcLookupSource(context: ConnectorContext): MySqlLookupSource {
  const parsed = parseJdbcTableOptions(context.name, context.options);
  const o = parsed.options;
  const keys = context.primaryKey ?? [];
  if (keys.length === 0) throw new ConfigurationError(`${parsed.where}: a lookup needs the key columns (the table's PRIMARY KEY or the join's keys)`);
  const partial = o.get(JdbcOptions.lookupCache) === 'PARTIAL';
  if (partial && o.getOptional(JdbcOptions.lookupPartialCacheMaxRows) === undefined && o.getOptional(JdbcOptions.lookupPartialCacheExpireAfterWrite) === undefined && o.getOptional(JdbcOptions.lookupPartialCacheExpireAfterAccess) === undefined) {
    throw new ConfigurationError(`${parsed.where}: 'lookup.cache' = 'PARTIAL' needs 'lookup.partial-cache.max-rows' or an expiry ('lookup.partial-cache.expire-after-write' / '-access'), as in Flink`, 'lookup.cache');
  }
  return new MySqlLookupSource({
    connection: parsed.connection,
    table: parsed.table,
    keyColumns: keys,
    columns: context.columns?.map((c) => ({ name: c.name })),
    cache: partial
      ? {
          maxRows: o.getOptional(JdbcOptions.lookupPartialCacheMaxRows),
          expireAfterWriteMs: o.getOptional(JdbcOptions.lookupPartialCacheExpireAfterWrite),
          expireAfterAccessMs: o.getOptional(JdbcOptions.lookupPartialCacheExpireAfterAccess),
          cacheMissingKey: o.get(JdbcOptions.lookupPartialCacheMissingKey),
        }
      : undefined,
    maxRetries: o.get(JdbcOptions.lookupMaxRetries),
  });
}
