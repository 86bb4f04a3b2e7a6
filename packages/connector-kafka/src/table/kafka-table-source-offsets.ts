// A Kafka table's startup and bounded modes as offsets initializers, checked as Flink checks them:
// `timestamp` needs its `*.timestamp-millis`, `specific-offsets` needs its `*.specific-offsets` (in Flink's
// `partition:0,offset:42;partition:1,offset:300` syntax) and a single topic, and `group-offsets` needs
// `properties.group.id` (a partition the group has not committed starts as `properties.auto.offset.reset` says).
import { ConfigurationError } from '@runnel/api/config';
import { KafkaOptions, type KafkaTableOptions } from '../kafka-options.js';
import { OffsetsInitializer, type OffsetResetStrategy } from '../source/offsets-initializer.js';

/**
 * Parses Flink's specific-offsets syntax, `partition:0,offset:42;partition:1,offset:300`, into offsets per partition.
 *
 * @throws ConfigurationError naming the option and the expected syntax
 * @public
 */
export function parseSpecificOffsets(text: string, key: string, where = ''): Map<number, number> {
  const out = new Map<number, number>();
  const fail = (): never => {
    throw new ConfigurationError(
      `${where === '' ? '' : `${where}: `}option '${key}' should follow the format 'partition:0,offset:42;partition:1,offset:300', but is '${text}'`,
      key,
    );
  };
  const entries = text.split(';').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) fail();
  for (const entry of entries) {
    const m = /^partition\s*:\s*(\d+)\s*,\s*offset\s*:\s*(\d+)$/.exec(entry);
    if (m === null) fail();
    const partition = Number(m![1]);
    const offset = Number(m![2]);
    if (!Number.isSafeInteger(partition) || partition > 2147483647 || !Number.isSafeInteger(offset)) fail();
    out.set(partition, offset);
  }
  return out;
}

/**
 * The starting offsets (`scan.startup.*`) and, for a bounded scan, the stopping offsets (`scan.bounded.*`) of a
 * Kafka table.
 *
 * @throws ConfigurationError for a mode whose companion option is missing or wrong
 * @public
 */
export function kafkaTableOffsets(t: KafkaTableOptions): { readonly starting: OffsetsInitializer; readonly stopping: OffsetsInitializer | undefined } {
  const o = t.options;
  const reset = o.get(KafkaOptions.autoOffsetReset) as OffsetResetStrategy;
  const initializer = (role: 'startup' | 'bounded', mode: string): OffsetsInitializer => {
    const modeKey = `scan.${role}.mode`;
    switch (mode) {
      case 'earliest-offset':
        return OffsetsInitializer.earliest();
      case 'latest-offset':
        return OffsetsInitializer.latest();
      case 'group-offsets':
        if (t.groupId === undefined || t.groupId === '') {
          throw new ConfigurationError(`${t.where}: option '${modeKey}' = 'group-offsets' needs 'properties.group.id': the group whose committed offsets are used`, 'properties.group.id');
        }
        return OffsetsInitializer.committedOffsets(role === 'startup' ? reset : 'none');
      case 'timestamp': {
        const option = role === 'startup' ? KafkaOptions.startupTimestampMillis : KafkaOptions.boundedTimestampMillis;
        const ts = o.getOptional(option);
        if (ts === undefined) throw new ConfigurationError(`${t.where}: option '${option.key}' is required in '${modeKey}' = 'timestamp' but missing`, option.key);
        return OffsetsInitializer.timestamp(ts);
      }
      case 'specific-offsets': {
        const option = role === 'startup' ? KafkaOptions.startupSpecificOffsets : KafkaOptions.boundedSpecificOffsets;
        const text = o.getOptional(option);
        if (text === undefined) throw new ConfigurationError(`${t.where}: option '${option.key}' is required in '${modeKey}' = 'specific-offsets' but missing`, option.key);
        if (t.topics === undefined || t.topics.length !== 1) {
          throw new ConfigurationError(`${t.where}: option '${modeKey}' = 'specific-offsets' needs a single topic in 'topic' (as in Flink)`, modeKey);
        }
        const topic = t.topics[0]!;
        const offsets = parseSpecificOffsets(text, option.key, t.where);
        return OffsetsInitializer.offsets([...offsets].map(([partition, offset]) => ({ topic, partition, offset })));
      }
      default:
        throw new ConfigurationError(`${t.where}: option '${modeKey}': unsupported mode '${mode}'`, modeKey);
    }
  };
  const starting = initializer('startup', o.get(KafkaOptions.startupMode));
  const boundedMode = o.get(KafkaOptions.boundedMode);
  const stopping = boundedMode === 'unbounded' ? undefined : initializer('bounded', boundedMode);
  return { starting, stopping };
}
