// The `upsert-kafka` connector factory (`'connector' = 'upsert-kafka'`, Flink's Upsert Kafka SQL connector), found
// by the planner through this package's `runnel` manifest: a table whose PRIMARY KEY is the Kafka record key, read
// as an upsert changelog (see `upsert-kafka-table-source.ts`) and written as upserts and tombstones, reduced per key
// with `sink.buffer-flush.*` (see `kafka-table-sink.ts` and `upsert-kafka-reducing-sink.ts`).
import { API_VERSION } from '@runnel/api';
import type { ConnectorFactory } from '@runnel/api/connector';
import type { TableFactoryContext, TableSink, TableSource } from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { KafkaTableSink } from './kafka-table-sink.js';
import { parseUpsertKafkaTable, UPSERT_KAFKA_OPTIONS, UPSERT_KAFKA_READ_OPTIONS } from './upsert-kafka-options.js';
import { createUpsertKafkaTableSource } from './upsert-kafka-table-source.js';

/**
 * The `upsert-kafka` table sink of a table.
 *
 * @throws ConfigurationError for invalid options, a missing primary key or a format that is not insert-only
 * @public
 */
export function createUpsertKafkaTableSink(context: TableFactoryContext, clientFactory?: KafkaClientFactory): TableSink {
  const upsert = parseUpsertKafkaTable(context);
  return new KafkaTableSink(context, clientFactory, {
    connector: 'upsert-kafka',
    options: UPSERT_KAFKA_READ_OPTIONS,
    upsert: { keyFields: upsert.primaryKey, bufferFlush: upsert.bufferFlush },
  });
}

/**
 * Options of {@link createUpsertKafkaConnectorFactory}.
 *
 * @public
 */
export interface UpsertKafkaConnectorFactoryOptions {
  /** The Kafka client of the tables' sources and sinks; default kafkajs. */
  readonly clientFactory?: KafkaClientFactory;
}

/**
 * An `upsert-kafka` connector factory over the given client (a test double, another library), to be registered with
 * `registerPlugin`.
 *
 * @public
 */
export function createUpsertKafkaConnectorFactory(options: UpsertKafkaConnectorFactoryOptions = {}): ConnectorFactory {
  const clientFactory = options.clientFactory;
  return {
    identifier: 'upsert-kafka',
    apiVersion: `^${API_VERSION}`,
    options: UPSERT_KAFKA_OPTIONS,
    createTableSource: (context: TableFactoryContext): TableSource => createUpsertKafkaTableSource(context, clientFactory),
    createTableSink: (context: TableFactoryContext): TableSink => createUpsertKafkaTableSink(context, clientFactory),
  };
}

/**
 * The `upsert-kafka` connector (Flink's Upsert Kafka): PRIMARY KEY as the record key, values as upserts, tombstones
 * as deletes.
 *
 * @public
 */
export const upsertKafkaConnectorFactory: ConnectorFactory = createUpsertKafkaConnectorFactory();
