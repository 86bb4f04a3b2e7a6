// A TableFactoryContext for the Kafka table-source unit tests, with a small JSON format of its own (the real formats
// are exercised through the SQL tests): decoders apply an error policy as the planner's context does — `fail`
// throws a FormatError at the message's position, `skip` and `dead-letter` emit a DeadLetter (the planner drops or
// routes it) — and format the position as the planner does (`topic/partition, offset n` for bigint offsets).
import {
  DeadLetter,
  FormatError,
  INSERT_ONLY,
  RowKind,
  rowType,
  type ChangelogMode,
  type LogicalType,
  type LogicalTypeRoot,
  type Row,
  type RowType,
  type TableDecoder,
  type TableFactoryContext,
} from '@runnel/api/table';

export type ErrorPolicy = 'fail' | 'skip' | 'dead-letter';

export const t = (root: LogicalTypeRoot, extra: Omit<LogicalType, 'root' | 'nullable'> = {}): LogicalType => ({ root, nullable: true, ...extra });
export const STRING = t('VARCHAR', { precision: 2147483647 });
export const BIGINT = t('BIGINT');
export const INT = t('INTEGER');
export const columns = (fields: Record<string, LogicalType>): RowType => rowType(Object.entries(fields).map(([name, type]) => ({ name, type })));

const position = (source: string, offset: number | bigint): string => (typeof offset === 'bigint' ? `${source}, offset ${offset}` : `${source}:${offset}`);

/** Decodes JSON objects into rows of `type` (BIGINT from numbers), with an error policy. */
export function jsonDecoder(type: RowType, policy: ErrorPolicy = 'fail', changelogMode: ChangelogMode = INSERT_ONLY): TableDecoder {
  return {
    changelogMode,
    decode(message, emit, source, offset) {
      const text = typeof message === 'string' ? message : new TextDecoder().decode(message);
      let value: unknown;
      try {
        value = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      } catch (e) {
        const error = new FormatError(`malformed JSON: ${(e as Error).message}`);
        if (policy === 'fail') throw error.at(position(source, offset));
        emit(new DeadLetter(position(source, offset), error.detail, message));
        return;
      }
      const o = value as Record<string, unknown>;
      const kind = typeof o['op'] === 'string' && o['op'] === 'd' ? RowKind.DELETE : RowKind.INSERT;
      emit({ kind, fields: type.fields.map((f) => (o[f.name] === undefined || o[f.name] === null ? null : f.type.root === 'BIGINT' ? BigInt(o[f.name] as number) : o[f.name])) });
    },
  };
}

/** What the context's decoders were asked for, by format key. */
export interface DecoderRequest {
  readonly formatKey: string;
  readonly rowType: RowType;
}

/** The context of a Kafka table `name` with physical columns `physical` and `options` (`connector` added). */
export function kafkaTableContext(
  name: string,
  physical: RowType,
  options: Record<string, string>,
  hooks: { policy?: ErrorPolicy; changelogMode?: ChangelogMode; requests?: DecoderRequest[]; config?: Record<string, string> } = {},
): TableFactoryContext {
  return {
    tableName: name,
    schema: { columns: physical.fields.map((f) => ({ kind: 'physical' as const, name: f.name, type: f.type })), watermarkSpecs: [] },
    options: { connector: 'kafka', ...options },
    config: hooks.config ?? {},
    decoder(rowType: RowType, formatKey = 'format'): TableDecoder {
      hooks.requests?.push({ formatKey, rowType });
      return jsonDecoder(rowType, hooks.policy, formatKey === 'key.format' ? INSERT_ONLY : hooks.changelogMode);
    },
    encoder() {
      throw new Error('no encoder in source tests');
    },
  };
}

/** Rows as [kind, ...fields] for comparisons. */
export const plain = (rows: readonly (Row | DeadLetter)[]): unknown[] =>
  rows.map((r) => (r instanceof DeadLetter ? ['dead-letter', r.position, r.error] : [r.kind, ...r.fields]));
