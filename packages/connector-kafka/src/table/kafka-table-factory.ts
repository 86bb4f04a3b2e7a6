// The `kafka` connector factory: found by `'connector' = 'kafka'` (the package's `runnel` manifest names
// `kafkaConnectorFactory`), it validates a table's options against the declarations of `kafka-options.ts` and
// creates the table's source (kafka-table-source.ts) and sink (kafka-table-sink.ts). The client is kafkajs;
// `createKafkaConnectorFactory({ clientFactory })` makes the same factory over another client (a test double,
// another library), to be registered with `registerPlugin`.
import type { ConnectorFactory } from '@runnel/api/connector';
import type { TableFactoryContext, TableSink, TableSource } from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KAFKA_OPTIONS } from '../kafka-options.js';
import { KafkaTableSource } from './kafka-table-source.js';
import { createKafkaTableSink } from './kafka-table-sink.js';

/**
 * Options of {@link createKafkaConnectorFactory}.
 *
 * @public
 */
export interface KafkaConnectorFactoryOptions {
  /** The Kafka client of the tables' sources and sinks; default kafkajs. */
  readonly clientFactory?: KafkaClientFactory;
  /** Creates the sink of a table; default the package's Kafka table sink (`createKafkaTableSink`). */
  readonly createTableSink?: (context: TableFactoryContext, clientFactory: KafkaClientFactory) => TableSink;
}

/**
 * A `kafka` connector factory over the given client.
 *
 * @public
 */
export function createKafkaConnectorFactory(options: KafkaConnectorFactoryOptions = {}): ConnectorFactory {
  const clientFactory = options.clientFactory ?? kafkajsClientFactory;
  const createSink = options.createTableSink ?? createKafkaTableSink;
  return {
    identifier: 'kafka',
    apiVersion: '^0.1.0',
    options: KAFKA_OPTIONS,
    createTableSource(context: TableFactoryContext): TableSource {
      return new KafkaTableSource(context, clientFactory);
    },
    createTableSink(context: TableFactoryContext): TableSink {
      return createSink(context, clientFactory);
    },
  };
}

/**
 * The `kafka` connector factory (kafkajs client).
 *
 * @public
 */
export const kafkaConnectorFactory: ConnectorFactory = createKafkaConnectorFactory();
