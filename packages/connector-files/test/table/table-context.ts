// A TableFactoryContext for the filesystem table tests, with a small JSON-lines format of its own (the real
// formats live in @runnel/formats, which this package does not depend on). The decoder applies an error policy as
// the planner's context does: `fail` throws a FormatError at `file:line`, `skip` drops the line, `dead-letter`
// emits a DeadLetter. BIGINT travels as a decimal string or number, DECIMAL and bytes are not handled.
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
  type TableEncoder,
  type TableFactoryContext,
} from '@runnel/api/table';

export type ErrorPolicy = 'fail' | 'skip' | 'dead-letter';

export const t = (root: LogicalTypeRoot, extra: Omit<LogicalType, 'root' | 'nullable'> = {}): LogicalType => ({ root, nullable: true, ...extra });
export const STRING = t('VARCHAR', { precision: 2147483647 });
export const BIGINT = t('BIGINT');
export const INT = t('INTEGER');
export const columns = (fields: Record<string, LogicalType>): RowType => rowType(Object.entries(fields).map(([name, type]) => ({ name, type })));

/** Decodes JSON objects into rows of `type`, with an error policy. */
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
        const error = new FormatError(`malformed JSON: ${(e as Error).message}`).at(`${source}:${offset}`);
        if (policy === 'fail') throw error;
        if (policy === 'dead-letter') emit(new DeadLetter(`${source}:${offset}`, error.detail, message));
        return;
      }
      const o = value as Record<string, unknown>;
      emit({ kind: RowKind.INSERT, fields: type.fields.map((f) => fromJson(o[f.name], f.type)) });
    },
  };
}

function fromJson(v: unknown, type: LogicalType): unknown {
  if (v === undefined || v === null) return null;
  return type.root === 'BIGINT' ? BigInt(v as string | number) : v;
}

/** Encodes rows of `type` as JSON objects (BIGINT as a number when it is safe, else as digits). */
export function jsonEncoder(type: RowType): TableEncoder {
  return {
    encode(row: Row) {
      const o: Record<string, unknown> = {};
      type.fields.forEach((f, i) => (o[f.name] = row.fields[i]));
      return JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
    },
  };
}

/** What the context hands out, to be replaced by tests (a decoder that throws, an encoder of bytes). */
export interface FormatHooks {
  decoder?: (type: RowType) => TableDecoder;
  encoder?: (type: RowType) => TableEncoder;
  policy?: ErrorPolicy;
}

/** The context of a `filesystem` table `name` with physical columns `physical` and `options`. */
export function tableContext(name: string, physical: RowType, options: Record<string, string>, hooks: FormatHooks = {}): TableFactoryContext {
  return {
    tableName: name,
    schema: { columns: physical.fields.map((f) => ({ kind: 'physical' as const, name: f.name, type: f.type })), watermarkSpecs: [] },
    options: { connector: 'filesystem', ...options },
    config: {},
    decoder: (type, formatKey = 'format') => {
      if (options[formatKey] !== 'json') throw new Error(`no format '${options[formatKey]}' in the test context`);
      return hooks.decoder?.(type) ?? jsonDecoder(type, hooks.policy);
    },
    encoder: (type, formatKey = 'format') => {
      if (options[formatKey] !== 'json') throw new Error(`no format '${options[formatKey]}' in the test context`);
      return hooks.encoder?.(type) ?? jsonEncoder(type);
    },
  };
}
