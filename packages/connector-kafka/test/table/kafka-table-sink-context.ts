// A TableFactoryContext for the Kafka table sink and upsert-kafka tests, with small formats of its own (the real ones
// live in @runnel/formats, which this package does not depend on): `json` (an object per row, BIGINT as a number
// when safe, else its digits; bytes as base64), `text` (a single STRING column as its text) and `cdc` (a changelog
// encoder in the manner of debezium-json: every kind, `{"op":"+U","row":{...}}`). Decoders of `json` and `text`
// apply the `fail` policy (a FormatError with the position). Schemas are built from columns with metadata and a
// primary key.
import {
  ALL_KINDS,
  FormatError,
  INSERT_ONLY,
  MAX_LENGTH,
  RowKind,
  rowKindShortString,
  rowType,
  type Column,
  type LogicalType,
  type LogicalTypeRoot,
  type Row,
  type RowType,
  type TableDecoder,
  type TableEncoder,
  type TableFactoryContext,
} from '@runnel/api/table';

export const t = (root: LogicalTypeRoot, extra: Omit<LogicalType, 'root' | 'nullable'> = {}): LogicalType => ({ root, nullable: true, ...extra });
export const STRING = t('VARCHAR', { precision: MAX_LENGTH });
export const BIGINT = t('BIGINT');
export const INT = t('INTEGER');
export const physical = (name: string, type: LogicalType): Column => ({ kind: 'physical', name, type });
export const metadata = (name: string, type: LogicalType, metadataKey = name, virtual = false): Column => ({ kind: 'metadata', name, type, metadataKey, virtual });

const toJson = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
};

function jsonEncoder(type: RowType): TableEncoder {
  return {
    encode(row: Row) {
      const o: Record<string, unknown> = {};
      type.fields.forEach((f, i) => (o[f.name] = toJson(row.fields[i])));
      return JSON.stringify(o);
    },
  };
}

function jsonDecoder(type: RowType): TableDecoder {
  return {
    changelogMode: INSERT_ONLY,
    decode(message, emit, source, offset) {
      const text = typeof message === 'string' ? message : new TextDecoder().decode(message);
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(text) as Record<string, unknown>;
        if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not a JSON object');
      } catch (e) {
        throw new FormatError(`malformed JSON: ${(e as Error).message}`).at(`${source}, offset ${offset}`);
      }
      emit({
        kind: RowKind.INSERT,
        fields: type.fields.map((f) => {
          const v = o[f.name];
          if (v === undefined || v === null) return null;
          return f.type.root === 'BIGINT' ? BigInt(v as number | string) : v;
        }),
      });
    },
  };
}

function textEncoder(type: RowType): TableEncoder {
  if (type.fields.length !== 1) throw new Error(`format 'text' takes one column, got ${type.fields.length}`);
  return { encode: (row) => String(row.fields[0]) };
}

function textDecoder(type: RowType): TableDecoder {
  if (type.fields.length !== 1) throw new Error(`format 'text' takes one column, got ${type.fields.length}`);
  return {
    changelogMode: INSERT_ONLY,
    decode(message, emit) {
      const s = typeof message === 'string' ? message : new TextDecoder().decode(message);
      emit({ kind: RowKind.INSERT, fields: [type.fields[0]!.type.root === 'BIGINT' ? BigInt(s) : s] });
    },
  };
}

function cdcEncoder(type: RowType): TableEncoder {
  const inner = jsonEncoder(type);
  return { changelogMode: ALL_KINDS, encode: (row) => `{"op":"${rowKindShortString(row.kind)}","row":${inner.encode(row) as string}}` };
}

const ENCODERS: Record<string, (type: RowType) => TableEncoder> = { json: jsonEncoder, text: textEncoder, cdc: cdcEncoder };
const DECODERS: Record<string, (type: RowType) => TableDecoder> = { json: jsonDecoder, text: textDecoder };

/** The context of a table `name` with `columns`, `options` (with the connector) and an optional primary key. */
export function tableContext(name: string, columns: readonly Column[], options: Record<string, string>, primaryKey?: readonly string[]): TableFactoryContext {
  const formatOf = (formatKey: string): string => {
    const f = options[formatKey] ?? (formatKey === 'value.format' ? options['format'] : formatKey === 'format' ? options['value.format'] : undefined);
    if (f === undefined) throw new Error(`no '${formatKey}' option in the test context`);
    return f;
  };
  return {
    tableName: name,
    schema: { columns, watermarkSpecs: [], ...(primaryKey ? { primaryKey: { name: 'pk', columns: primaryKey } } : {}) },
    options,
    config: {},
    decoder: (type, formatKey = 'format') => {
      const f = DECODERS[formatOf(formatKey)];
      if (f === undefined) throw new Error(`format '${formatOf(formatKey)}' cannot decode in the test context`);
      return f(type);
    },
    encoder: (type, formatKey = 'format') => {
      const f = ENCODERS[formatOf(formatKey)];
      if (f === undefined) throw new Error(`format '${formatOf(formatKey)}' cannot encode in the test context`);
      return f(type);
    },
  };
}

/** The ROW type of the columns that are written (physical and non-virtual metadata), in declaration order. */
export function consumedType(columns: readonly Column[]): RowType {
  return rowType(columns.filter((c) => c.kind === 'physical' || (c.kind === 'metadata' && !c.virtual)).map((c) => ({ name: c.name, type: c.type })));
}

/** The metadata keys of the written metadata columns, in order. */
export function writtenMetadataKeys(columns: readonly Column[]): string[] {
  return columns.flatMap((c) => (c.kind === 'metadata' && !c.virtual ? [c.metadataKey] : []));
}
