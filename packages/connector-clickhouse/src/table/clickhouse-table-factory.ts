// The `clickhouse` connector factory: found by `'connector' = 'clickhouse'` (the package's `runnel` manifest names
// `clickhouseConnectorFactory`); it validates a table's options against clickhouse-options.ts and creates its sink.
// `createClickHouseConnectorFactory({ nodeFactory })` makes the same factory over another connection (chdb's
// in-process ClickHouse, a test double), to be registered with `registerPlugin`.
import type { ConnectorFactory } from '@runnel/api/connector';
import type { TableFactoryContext, TableSink } from '@runnel/api/table';
import type { ClickHouseNodeFactory } from '../client/clickhouse-node.js';
import { CLICKHOUSE_OPTIONS } from '../clickhouse-options.js';
import { ClickHouseTableSink } from './clickhouse-table-sink.js';

/**
 * Options of {@link createClickHouseConnectorFactory}.
 *
 * @public
 */
export interface ClickHouseConnectorFactoryOptions {
  /** The connection to each node; default `@clickhouse/client` over HTTP. */
  readonly nodeFactory?: ClickHouseNodeFactory;
}

/**
 * A `clickhouse` connector factory over the given connection.
 *
 * @public
 */
export function createClickHouseConnectorFactory(options: ClickHouseConnectorFactoryOptions = {}): ConnectorFactory {
  return {
    identifier: 'clickhouse',
    apiVersion: '^0.1.0',
    options: CLICKHOUSE_OPTIONS,
    createTableSink(context: TableFactoryContext): TableSink {
      return new ClickHouseTableSink(context, options.nodeFactory);
    },
  };
}

/**
 * The `clickhouse` connector factory (HTTP).
 *
 * @public
 */
export const clickhouseConnectorFactory: ConnectorFactory = createClickHouseConnectorFactory();
