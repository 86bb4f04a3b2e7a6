// The `upsert-kafka` table source (Flink's upsert-kafka as a source): the Kafka table source of `kafka-table-source.ts`
// in upsert mode, reading the topic from its earliest offset. Each record is an upsert of its key (the PRIMARY KEY
// columns, decoded by `key.format`): its value decodes into a +U row, a tombstone into a -D row with the key fields
// set and the other fields null. The source declares the UPSERT changelog (+I/+U/-D by key, without -U, deletes
// holding only the key): the planner puts Flink's ChangelogNormalize after it, which keeps the last row per key in
// state and emits the full changelog (-U/+U, -D with the values).
import { ConfigurationError } from '@runnel/api/config';
import { RowKind, type DeadLetter, type Row, type TableDecoder, type TableFactoryContext, type TableSource } from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KafkaTableSource } from './kafka-table-source.js';
import { parseUpsertKafkaTable, UPSERT_KAFKA_READ_OPTIONS } from './upsert-kafka-options.js';

/** The value decoder of an upsert table: its rows are upserts (+U) of their key. */
function upsertDecoder(inner: TableDecoder): TableDecoder {
  // One relay for all messages (not a closure per message): decoding is synchronous, so `target` is the caller's.
  let target: (row: Row | DeadLetter) => void = () => {};
  const relay = (row: Row | DeadLetter): void => {
    if ('kind' in row && row.kind === RowKind.INSERT) row.kind = RowKind.UPDATE_AFTER;
    target(row);
  };
  return {
    changelogMode: inner.changelogMode,
    decode(message, emit, source, offset) {
      target = emit;
      inner.decode(message, relay, source, offset);
    },
  };
}

/**
 * The `upsert-kafka` table source of a table.
 *
 * @throws ConfigurationError for invalid options, a missing primary key or a format that is not insert-only
 * @public
 */
export function createUpsertKafkaTableSource(context: TableFactoryContext, clientFactory?: KafkaClientFactory): TableSource {
  const upsert = parseUpsertKafkaTable(context);
  const valueFormatKey = context.options['value.format'] !== undefined ? 'value.format' : 'format';
  const wrapped: TableFactoryContext = {
    tableName: context.tableName,
    schema: context.schema,
    options: context.options,
    config: context.config,
    encoder: (type, formatKey) => context.encoder(type, formatKey),
    decoder: (type, formatKey = 'format') => {
      const d = context.decoder(type, formatKey);
      if (d.changelogMode.kinds.length !== 1 || d.changelogMode.kinds[0] !== RowKind.INSERT) {
        const role = formatKey === 'key.format' ? 'key' : 'value';
        throw new ConfigurationError(
          `${upsert.where}: 'upsert-kafka' doesn't support '${context.options[formatKey] ?? context.options['format']}' as ${role} format, because it is not in insert-only mode`,
          formatKey,
        );
      }
      return formatKey === valueFormatKey ? upsertDecoder(d) : d;
    },
  };
  const factory = clientFactory ?? kafkajsClientFactory;
  return new KafkaTableSource(wrapped, factory, { connector: 'upsert-kafka', options: UPSERT_KAFKA_READ_OPTIONS, keyFields: upsert.primaryKey, upsert: true });
}
