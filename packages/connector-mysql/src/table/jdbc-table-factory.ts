// The `jdbc` connector factory for MySQL: found by `'connector' = 'jdbc'` (the package's `runnel` manifest names
// `jdbcConnectorFactory`), it validates a table's options against jdbc-options.ts and creates the table's scan
// source (jdbc-table-source.ts) and sink (jdbc-table-sink.ts); `createLookupSource` gives the lookup source that
// SQL's `FOR SYSTEM_TIME AS OF` joins will use.
import type { ConnectorContext, ConnectorFactory, LookupSource } from '@runnel/api/connector';
import type { TableFactoryContext, TableSink, TableSource } from '@runnel/api/table';
import { JDBC_OPTIONS } from '../jdbc/jdbc-options.js';
import { JdbcTableSink } from './jdbc-table-sink.js';
import { JdbcTableSource } from './jdbc-table-source.js';
import { createJdbcLookupSource } from './jdbc-lookup.js';

/**
 * The `jdbc` connector factory (MySQL, MariaDB, TiDB).
 *
 * @public
 */
export const jdbcConnectorFactory: ConnectorFactory = {
  identifier: 'jdbc',
  apiVersion: '^0.1.0',
  options: JDBC_OPTIONS,
  createTableSource(context: TableFactoryContext): TableSource {
    return new JdbcTableSource(context);
  },
  createTableSink(context: TableFactoryContext): TableSink {
    return new JdbcTableSink(context);
  },
  createLookupSource(context: ConnectorContext): LookupSource<unknown, unknown> {
    return createJdbcLookupSource(context) as LookupSource<unknown, unknown>;
  },
};
