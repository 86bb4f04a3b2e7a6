// Connector factory `print` (Flink's option keys: `print-identifier`, `standard-error`, `sink.parallelism`). The
// DataStream sink (`createSink`) prints records as text or JSON; the SQL table sink (`createTableSink`) prints rows
// as Flink does (`+I[1, abc, 2020-01-01T10:00]`) and accepts every changelog kind.
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
import { ConfigurationError, defineOption, parseOptions } from '@runnel/api/config';
import type { TableFactoryContext, TableSink } from '@runnel/api/table';
import { PrintSink } from '../sinks/print-sink.js';
import { PrintTableSink } from '../table/print-table-sink.js';
import { connectorOptions } from '../table/table-options.js';

/**
 * The options of the `print` connector.
 *
 * @public
 */
export const PrintOptions = {
  printIdentifier: defineOption({ key: 'print-identifier', type: 'string', description: 'Prefix of every printed line.' }),
  standardError: defineOption({ key: 'standard-error', type: 'boolean', defaultValue: false, description: 'Print to stderr instead of stdout.' }),
  sinkParallelism: defineOption({
    key: 'sink.parallelism',
    type: 'int',
    min: 1,
    defaultDescription: "the input's parallelism",
    description: 'SQL tables: the parallelism of the sink. (DataStream jobs set it on the stream instead.)',
  }),
} as const;

/**
 * Factory of the `print` sink.
 *
 * @public
 */
export const printConnectorFactory: ConnectorFactory = {
  identifier: 'print',
  apiVersion: '^0.1.0',
  options: Object.values(PrintOptions),
  createSink(context: ConnectorContext): Sink<unknown, any, any> {
    const where = `print table '${context.name}'`;
    const o = parseOptions(Object.values(PrintOptions), context.options, { context: where });
    if (o.isSet(PrintOptions.sinkParallelism)) {
      throw new ConfigurationError(
        `${where}: option 'sink.parallelism' applies to SQL tables; in a DataStream job set the sink's parallelism on the stream`,
        'sink.parallelism',
      );
    }
    return new PrintSink<unknown>({
      printIdentifier: o.get(PrintOptions.printIdentifier),
      standardError: o.get(PrintOptions.standardError),
    });
  },
  createTableSink(context: TableFactoryContext): TableSink {
    const o = parseOptions(Object.values(PrintOptions), connectorOptions(context.options), { context: `print table '${context.tableName}'` });
    return new PrintTableSink({
      tableName: context.tableName,
      printIdentifier: o.get(PrintOptions.printIdentifier),
      standardError: o.get(PrintOptions.standardError),
      parallelism: o.getOptional(PrintOptions.sinkParallelism),
    });
  },
};
