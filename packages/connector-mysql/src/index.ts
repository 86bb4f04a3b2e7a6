// `@runnel/connector-mysql`: MySQL (and MariaDB, TiDB) for Runnel, with the option keys and semantics of Flink's
// `jdbc` connector and Flink CDC's `mysql-cdc` connector: the CDC source (a consistent snapshot then the binlog), the
// jdbc-style upsert sink, and the scan and lookup sources; usable from SQL and from the DataStream API.

// --- jdbc sink, scan and lookup sources (begin)
// Type mapping (shared with the mysql-cdc source).
export {
  MYSQL_DRIVER_TYPE_OPTIONS,
  MYSQL_SESSION_TIME_ZONE,
  MySqlValueError,
  parseMySqlColumnType,
  mysqlToLogicalType,
  logicalTypeToMySql,
  parseExactInteger,
  parseDecimal,
  formatDecimal,
  parseMySqlDateTime,
  formatMySqlDateTime,
  zoneOffsetMs,
  mysqlValueReader,
  mysqlValueWriter,
} from './types/mysql-types.js';
export type { MySqlColumnType, MySqlValueOptions, MySqlBindValue } from './types/mysql-types.js';
// --- jdbc sink, scan and lookup sources (end)

// --- mysql-cdc source (begin)
// --- mysql-cdc source (end)

export {};
