// Which physical columns of a Kafka table live in the record key and which in the value (Flink's
// `createKeyFormatProjection` / `createValueFormatProjection`): `key.fields` (named with `key.fields-prefix` when
// one is set, which the key format does not see) go to the key, and the value holds every physical column
// (`value.fields-include` = `ALL`) or those that are not key fields (`EXCEPT_KEY`). Source and sink share it, so a
// table reads what it writes.
import { ConfigurationError } from '@runnel/api/config';
import { rowType, type RowType } from '@runnel/api/table';

/**
 * The key and value layout of a Kafka table's physical row.
 *
 * @public
 */
export interface KafkaKeyValueFields {
  /** Positions in the physical row of the key fields, in the key format's order. */
  readonly keyIndexes: readonly number[];
  /** Positions in the physical row of the value fields, in the value format's order. */
  readonly valueIndexes: readonly number[];
  /** The row the key format reads and writes (names without the prefix). */
  readonly keyType: RowType;
  /** The row the value format reads and writes. */
  readonly valueType: RowType;
}

/**
 * Splits the physical row into key and value fields.
 *
 * @param where - what the table is, for messages (`kafka table 'orders'`)
 * @throws ConfigurationError for a key field that is not a physical column, or one without the prefix
 * @public
 */
export function kafkaKeyValueFields(
  where: string,
  physical: RowType,
  keyFields: readonly string[],
  keyFieldsPrefix: string,
  valueFieldsInclude: 'ALL' | 'EXCEPT_KEY',
): KafkaKeyValueFields {
  const names = physical.fields.map((f) => f.name);
  const keyIndexes = keyFields.map((name) => {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new ConfigurationError(
        `${where}: option 'key.fields': '${name}' is not a physical column; a key field must be a regular, physical column (physical columns: ${names.join(', ')})`,
        'key.fields',
      );
    }
    if (keyFieldsPrefix !== '' && !name.startsWith(keyFieldsPrefix)) {
      throw new ConfigurationError(
        `${where}: option 'key.fields': every key field must start with the prefix '${keyFieldsPrefix}' of 'key.fields-prefix', '${name}' does not`,
        'key.fields',
      );
    }
    return i;
  });
  if (new Set(keyIndexes).size !== keyIndexes.length) {
    throw new ConfigurationError(`${where}: option 'key.fields' names a column twice`, 'key.fields');
  }
  const valueIndexes = names.map((_, i) => i).filter((i) => valueFieldsInclude === 'ALL' || !keyIndexes.includes(i));
  const keyType = rowType(keyIndexes.map((i) => ({ name: physical.fields[i]!.name.slice(keyFieldsPrefix.length), type: physical.fields[i]!.type })));
  const valueType = rowType(valueIndexes.map((i) => physical.fields[i]!));
  return { keyIndexes, valueIndexes, keyType, valueType };
}
