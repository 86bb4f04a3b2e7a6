// Connector factory `nexmark`: the Nexmark benchmark's source table, with nexmark-flink's option keys so the
// benchmark DDL (`'connector' = 'nexmark', 'first-event.rate' = ..., 'events.num' = ...`) runs unchanged. The SQL
// table (`createTableSource`) and the DataStream source (`createSource`) generate the same events for the same
// options.
import type { ConnectorContext, ConnectorFactory, Source } from '@runnel/api/connector';
import { physicalRowType, type TableFactoryContext, type TableSource } from '@runnel/api/table';
import { NEXMARK_OPTIONS, nexmarkConfigFromOptions, nexmarkRateLimitFromOptions } from '../nexmark/nexmark-options.js';
import { NexmarkSource } from '../nexmark/nexmark-source.js';
import { NexmarkRowProjection } from '../table/nexmark-row-projection.js';
import { NexmarkTableSource } from '../table/nexmark-table-source.js';
import { connectorOptions } from '../table/table-options.js';

/**
 * Factory of the `nexmark` source.
 *
 * @public
 */
export const nexmarkConnectorFactory: ConnectorFactory = {
  identifier: 'nexmark',
  apiVersion: '^0.1.0',
  options: NEXMARK_OPTIONS,
  createSource(context: ConnectorContext): Source<unknown, any, any> {
    const config = nexmarkConfigFromOptions(context.options);
    return new NexmarkSource(config, { rateLimit: nexmarkRateLimitFromOptions(context.options, config) }) as Source<unknown, any, any>;
  },
  createTableSource(context: TableFactoryContext): TableSource {
    const where = `nexmark table '${context.tableName}'`;
    const options = connectorOptions(context.options);
    const config = nexmarkConfigFromOptions(options, where);
    // The columns are checked now, so that a DDL nexmark cannot fill fails when the table is created.
    new NexmarkRowProjection(where, physicalRowType(context.schema));
    return new NexmarkTableSource(context.tableName, config, { rateLimit: nexmarkRateLimitFromOptions(options, config, where) });
  },
};
