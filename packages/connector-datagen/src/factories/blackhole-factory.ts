// Connector factory `blackhole`: discards everything (benchmarks), as a DataStream sink and as a SQL table sink
// that accepts every changelog kind.
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
import { parseOptions } from '@runnel/api/config';
import type { TableFactoryContext, TableSink } from '@runnel/api/table';
import { BlackholeSink } from '../sinks/blackhole-sink.js';
import { BlackholeTableSink } from '../table/blackhole-table-sink.js';
import { connectorOptions } from '../table/table-options.js';

/**
 * Factory of the `blackhole` sink.
 *
 * @public
 */
export const blackholeConnectorFactory: ConnectorFactory = {
  identifier: 'blackhole',
  apiVersion: '^0.1.0',
  options: [],
  createSink(context: ConnectorContext): Sink<unknown, any, any> {
    // No options: anything given is a mistake worth reporting.
    parseOptions([], context.options, { context: `blackhole table '${context.name}'` });
    return new BlackholeSink<unknown>();
  },
  createTableSink(context: TableFactoryContext): TableSink {
    parseOptions([], connectorOptions(context.options), { context: `blackhole table '${context.tableName}'` });
    return new BlackholeTableSink();
  },
};
