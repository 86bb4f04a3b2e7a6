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

// Connections, errors, SQL text.
export { MySqlConnectorError, mysqlErrorKind, toMySqlError, redact } from './jdbc/mysql-errors.js';
export type { MySqlErrorKind } from './jdbc/mysql-errors.js';
export { describeConnection } from './jdbc/mysql-connection.js';
export type { MySqlConnectionSettings } from './jdbc/mysql-connection.js';
export { parseJdbcUrl, describeJdbcUrl } from './jdbc/jdbc-url.js';
export type { JdbcUrl } from './jdbc/jdbc-url.js';
export { quoteIdentifier } from './jdbc/sql-text.js';
export type { MySqlTableColumn, MySqlTableMetadata } from './jdbc/table-metadata.js';
export { JdbcOptions, JDBC_OPTIONS } from './jdbc/jdbc-options.js';

// The sink.
export { MySqlSink } from './sink/mysql-sink.js';
export type { MySqlSinkSettings, MySqlSinkColumn, MySqlDeliveryGuarantee } from './sink/mysql-sink-settings.js';
export { mysqlCommittableSerializer } from './sink/mysql-committable.js';
export type { MySqlCommittable } from './sink/mysql-committable.js';
export type { MySqlChangeBatch } from './sink/mysql-statements.js';
export type { MySqlCommitterStats } from './sink/mysql-committer.js';
export { mysqlWriterStateSerializer } from './sink/mysql-writer-state.js';
export type { MySqlWriterState } from './sink/mysql-writer-state.js';

// The scan source.
export { MySqlScanSource } from './scan/mysql-scan-source.js';
export type { MySqlScanSettings } from './scan/mysql-scan-settings.js';
export { mysqlScanSplitSerializer, mysqlScanEnumeratorStateSerializer, planScanSplits } from './scan/mysql-scan-split.js';
export type { MySqlScanSplit, MySqlScanEnumeratorState } from './scan/mysql-scan-split.js';

// The lookup source.
export { MySqlLookupSource } from './lookup/mysql-lookup-source.js';
export type { MySqlLookupSettings } from './lookup/mysql-lookup-source.js';
export { PartialCache } from './lookup/partial-cache.js';
export type { PartialCacheSettings } from './lookup/partial-cache.js';

// SQL: the `jdbc` connector.
export { jdbcConnectorFactory } from './table/jdbc-table-factory.js';
export { JdbcTableSink } from './table/jdbc-table-sink.js';
export { JdbcTableSource } from './table/jdbc-table-source.js';
export { parseJdbcTableOptions } from './table/jdbc-table-options.js';
export type { JdbcTableOptions } from './table/jdbc-table-options.js';
export { createJdbcLookupSource } from './table/jdbc-lookup.js';
// --- jdbc sink, scan and lookup sources (end)

// --- mysql-cdc source (begin)
export { MySqlCdcSource, defaultCdcMapper } from './cdc/mysql-cdc-source.js';
export type { MySqlCdcSourceSettings } from './cdc/mysql-cdc-source.js';
export { MySqlCdcSourceBuilder, StartupOptions } from './cdc/mysql-cdc-source-builder.js';
export { MySqlCdcOptions, MYSQL_CDC_OPTIONS, parseMySqlCdcOptions } from './cdc/mysql-cdc-options.js';
export type { MySqlCdcSettings, MySqlCdcStartup } from './cdc/mysql-cdc-options.js';
export { MySqlCdcError } from './cdc/mysql-cdc-error.js';
export { compareBinlogPositions } from './cdc/binlog-position.js';
export type { BinlogPosition } from './cdc/binlog-position.js';
export { cdcLogicalType } from './cdc/cdc-column.js';
export type { CdcColumn } from './cdc/cdc-column.js';
export { tableId } from './cdc/captured-table.js';
export type { CapturedTable, KeyRange } from './cdc/captured-table.js';
export type { ChangeMapper, CdcTableRef } from './cdc/binlog-stream.js';
export { mySqlCdcSplitSerializer, BINLOG_SPLIT_ID } from './cdc/mysql-cdc-split.js';
export type { MySqlCdcSplit, MySqlSnapshotSplit, MySqlBinlogSplit, SnapshotSegment } from './cdc/mysql-cdc-split.js';
export { MySqlCdcEnumerator, mySqlCdcEnumeratorStateSerializer } from './cdc/mysql-cdc-enumerator.js';
export type { MySqlCdcEnumeratorState, BinlogStart } from './cdc/mysql-cdc-enumerator.js';
export { MySqlCdcReader } from './cdc/mysql-cdc-reader.js';
export type { MySqlCdcReaderSettings, ChunkReadEvent } from './cdc/mysql-cdc-reader.js';
export { mysqlCdcConnectorFactory, MySqlCdcTableSource, MYSQL_CDC_READABLE_METADATA, projectingCdcMapper } from './cdc/mysql-cdc-table-factory.js';
// --- mysql-cdc source (end)

export {};
