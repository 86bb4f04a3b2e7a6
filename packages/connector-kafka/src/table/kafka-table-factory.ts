// The `kafka` connector factory: found by `'connector' = 'kafka'` (the package's `runnel` manifest names
// `kafkaConnectorFactory`), it validates a table's options against the declarations of `kafka-options.ts` and
// creates the table's source and sink. The client is kafkajs; `createKafkaConnectorFactory({ clientFactory })` makes
// the same factory over another client (a test double, another library), to be registered with `registerPlugin`.
import type { ConnectorFactory } from '@runnel/api/connector';
import type { TableFactoryContext, TableSink, TableSource } from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KAFKA_OPTIONS } from '../kafka-options.js';
import { KafkaTableSource } from './kafka-table-source.js';

/**
 * Options of {@link createKafkaConnectorFactory}.
 *
 * @public
 */
export interface KafkaConnectorFactoryOptions {
  /** The Kafka client of the tables' sources and sinks; default kafkajs. */
  readonly clientFactory?: KafkaClientFactory;
  /**
   * Creates the sink of a table (the package's Kafka table sink by default); absent: the factory makes sources
   * only.
   */
  readonly createTableSink?: (context: TableFactoryContext, clientFactory: KafkaClientFactory) => TableSink;
}

/**
 * A `kafka` connector factory over the given client.
 *
 * @public
 */
export function createKafkaConnectorFactory(options: KafkaConnectorFactoryOptions = {}): ConnectorFactory {
  const clientFactory = options.clientFactory ?? kafkajsClientFactory;
  const createSink = options.createTableSink;
  const factory: ConnectorFactory = {
    identifier: 'kafka',
    apiVersion: '^0.1.0',
    options: KAFKA_OPTIONS,
    createTableSource(context: TableFactoryContext): TableSource {
      return new KafkaTableSource(context, clientFactory);
    },
  };
  if (createSink === undefined) return factory;
  return { ...factory, createTableSink: (context: TableFactoryContext): TableSink => createSink(context, clientFactory) };
}

/**
 * The `kafka` connector factory (kafkajs client).
 *
 * @public
 */
export const kafkaConnectorFactory: ConnectorFactory = createKafkaConnectorFactory();
