// The TableFactoryContext the planner hands a connector factory: the table's schema and options (without its
// formats' own options, which the formats validate), the session configuration, and decoders/encoders of the
// table's formats with the error policy applied. A message that fails to decode becomes a DeadLetter carrying its
// position (`file:line`, `topic/partition, offset n`) unless the policy is `fail`, which throws a FormatError with
// that position.
import { ConfigurationError } from '@runnel/api/config';
import { DeadLetter, FormatError, type LogicalType, type Row, type RowType, type TableDecoder, type TableEncoder, type TableFactoryContext, type ResolvedSchema, type FormatFactory } from '@runnel/api/table';
import type { PreparedTable } from './prepared-table.js';
import { errorPolicyOf, POLICY_SUFFIXES } from './error-policy.js';

function position(source: string, offset: number | bigint): string {
  return typeof offset === 'bigint' ? `${source}, offset ${offset}` : `${source}:${offset}`;
}

function formatPrefix(formatKey: string, identifier: string): string {
  const keyPrefix = formatKey === 'format' ? '' : formatKey.slice(0, -'format'.length);
  return `${keyPrefix}${identifier}.`;
}

/** Splits a table's options into the connector's and each format's (prefix removed). @internal */
export function splitOptions(options: Readonly<Record<string, string>>, prepared: PreparedTable): { connector: Record<string, string>; formats: Map<string, Record<string, string>> } {
  const connector: Record<string, string> = {};
  const formats = new Map<string, Record<string, string>>();
  const prefixes = [...prepared.formats].map(([key, f]) => [key, formatPrefix(key, f.identifier)] as const);
  for (const [key] of prefixes) formats.set(key, {});
  outer: for (const [k, v] of Object.entries(options)) {
    for (const [key, prefix] of prefixes) {
      if (k.startsWith(prefix)) {
        const rest = k.slice(prefix.length);
        if (!(POLICY_SUFFIXES as readonly string[]).includes(rest)) formats.get(key)![rest] = v;
        continue outer;
      }
    }
    connector[k] = v;
  }
  return { connector, formats };
}

/**
 * Builds the context of one table for its connector factory.
 *
 * @internal
 */
export function tableContext(tableName: string, schema: ResolvedSchema, options: Readonly<Record<string, string>>, prepared: PreparedTable, config: Readonly<Record<string, string>>): TableFactoryContext {
  const { connector, formats } = splitOptions(options, prepared);
  const formatOf = (formatKey: string): [FormatFactory, Record<string, string>] => {
    const f = prepared.formats.get(formatKey);
    if (!f) throw new ConfigurationError(`Table '${tableName}' needs the option '${formatKey}' (e.g. '${formatKey}' = 'json')`, formatKey);
    return [f, formats.get(formatKey)!];
  };
  return {
    tableName,
    schema,
    options: connector,
    config,
    decoder(rowType: RowType, formatKey = 'format', metadataKeys?: readonly string[]): TableDecoder {
      const [f, fo] = formatOf(formatKey);
      if (!f.createDecoder) throw new ConfigurationError(`format '${f.identifier}' cannot decode (it is a sink-only format)`, formatKey);
      for (const k of metadataKeys ?? []) {
        if (!f.readableMetadata?.[k]) {
          const has = Object.keys(f.readableMetadata ?? {});
          throw new ConfigurationError(`format '${f.identifier}' has no metadata '${k}' (${has.length === 0 ? 'it has none' : `it has ${has.join(', ')}`})`, formatKey);
        }
      }
      const inner = f.createDecoder(metadataKeys === undefined || metadataKeys.length === 0 ? { rowType, options: fo, config } : { rowType, options: fo, config, metadataKeys });
      const { policy } = errorPolicyOf(options, formatPrefix(formatKey, f.identifier));
      return {
        changelogMode: inner.changelogMode,
        decode(message: Uint8Array | string, emit: (row: Row | DeadLetter) => void, source: string, offset: number | bigint): void {
          try {
            inner.decode(message, emit);
          } catch (e) {
            const err = e instanceof FormatError ? e : new FormatError(`format '${f.identifier}' failed: ${e instanceof Error ? e.message : String(e)}`);
            const pos = position(source, offset);
            if (policy === 'fail') throw err.at(pos);
            emit(new DeadLetter(pos, err.detail, message));
          }
        },
      };
    },
    formatMetadata(formatKey = 'format'): Readonly<Record<string, LogicalType>> {
      return prepared.formats.get(formatKey)?.readableMetadata ?? {};
    },
    encoder(rowType: RowType, formatKey = 'format'): TableEncoder {
      const [f, fo] = formatOf(formatKey);
      if (!f.createEncoder) throw new ConfigurationError(`format '${f.identifier}' cannot encode (it is a source-only format)`, formatKey);
      // The format's encoder as it is: its `changelogMode` (absent: insert-only) is what the sink may accept.
      return f.createEncoder({ rowType, options: fo, config });
    },
  };
}

/** The error policy of each format of a table. @internal */
export function tablePolicies(options: Readonly<Record<string, string>>, prepared: PreparedTable): { policy: 'fail' | 'skip' | 'dead-letter'; deadLetterTable?: string }[] {
  return [...prepared.formats].map(([key, f]) => errorPolicyOf(options, formatPrefix(key, f.identifier)));
}
