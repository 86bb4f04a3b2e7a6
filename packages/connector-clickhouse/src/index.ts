// `@runnel/connector-clickhouse`: a ClickHouse sink for Runnel — the `clickhouse` SQL connector and the DataStream
// `ClickHouseSink` — batched with bounded in-flight batches, sharded over shards of replicas with failover, writing
// changelogs as ReplacingMergeTree / CollapsingMergeTree / VersionedCollapsingMergeTree rows, exactly-once by
// deterministic per-checkpoint batches with deterministic versions and deduplication tokens.

// Options.
export { ClickHouseOptions, CLICKHOUSE_OPTIONS, parseClickHouseOptions } from './clickhouse-options.js';

// The sink (DataStream API).
export { ClickHouseSink, ClickHouseSinkBuilder } from './sink/clickhouse-sink.js';
export type { ClickHouseSinkOptions, RowAdapter, UpdateStrategy, ClickHouseDeliveryGuarantee } from './sink/clickhouse-sink-options.js';
export { clickhouseCommittableSerializer } from './sink/clickhouse-sink-state.js';
export type { ClickHouseCommittable } from './sink/clickhouse-sink-state.js';

// SQL: the `clickhouse` connector.
export { clickhouseConnectorFactory, createClickHouseConnectorFactory } from './table/clickhouse-table-factory.js';
export type { ClickHouseConnectorFactoryOptions } from './table/clickhouse-table-factory.js';
export { ClickHouseTableSink } from './table/clickhouse-table-sink.js';

// The connection to a node, the cluster layout, errors and escaping.
export { ClientClickHouseNode, httpClickHouseNodeFactory } from './client/clickhouse-node.js';
export type { ClickHouseNode, ClickHouseNodeConfig, ClickHouseNodeFactory } from './client/clickhouse-node.js';
export { ClickHouseCluster, parseClickHouseUrls } from './client/clickhouse-cluster.js';
export type { RetrySettings } from './client/clickhouse-cluster.js';
export { ClickHouseSinkError, ClickHouseValueError, translateClickHouseError, redact } from './client/clickhouse-errors.js';
export type { ClickHouseErrorKind } from './client/clickhouse-errors.js';
export { quoteIdentifier, quoteString, qualifiedTable } from './client/sql-escape.js';

// Types: the ClickHouse type parser and the column encoders.
export { parseClickHouseType } from './types/clickhouse-type.js';
export type { ClickHouseType } from './types/clickhouse-type.js';
export { columnEncoder } from './types/column-encoder.js';
export type { ColumnEncoder, ExactDecimal } from './types/column-encoder.js';
