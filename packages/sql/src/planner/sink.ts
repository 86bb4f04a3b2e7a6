// Writes a query's rows into a table: maps the query's columns to the table's (by position, or by the INSERT's
// column list), casts where Flink casts implicitly, enforces NOT NULL columns (`table.exec.sink.not-null-enforcer`:
// ERROR, or DROP the row), and checks the changelog: a sink that cannot take what the query produces is refused
// before the job starts; an upsert sink (with a primary key) gets +U without -U, as Flink does. When the sink runs at
// another parallelism than its input (`sink.parallelism`), its rows are hash-partitioned by the primary key
// (`table.exec.sink.keyed-shuffle`), so that the changes of one key reach one sink subtask in their order; an updating
// query into a table without a primary key at another parallelism is refused, as in Flink (round-robin would scatter
// a -U and its +U over two subtasks).
import { RowKind, formatLogicalType, isInsertOnly, type ChangelogMode, type LogicalType, type Row, type RowType } from '@runnel/api/table';
import type { DataStream } from '@runnel/runtime';
import type { CatalogTable } from '../catalog/catalog.js';
import { castRex, sameType } from '../binder/rex-builders.js';
import { compileProjection } from '../codegen/expression-compiler.js';
import type { Rex } from '../plan/rex.js';
import type { Field } from '../plan/rel.js';
import { stableHash } from '../plan/explain.js';
import { tableContext } from '../connectors/table-context.js';
import { SqlRuntimeError } from '../functions/function-definition.js';
import { SqlValidationError } from '../validation-error.js';
import { describeRow } from '../runtime/calc-function.js';
import { rowKeySelector } from '../runtime/row-key.js';
import type { TranslateContext } from './translate-context.js';

const NUMERIC_ORDER = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE'];

/** Whether Flink would insert a value of type `from` into a column of type `to` (an implicit cast). @internal */
export function implicitlyCastable(from: LogicalType, to: LogicalType): boolean {
  if (from.root === 'NULL') return true;
  if (sameType(from, to)) return true;
  const fi = NUMERIC_ORDER.indexOf(from.root);
  const ti = NUMERIC_ORDER.indexOf(to.root);
  if (fi >= 0 && ti >= 0) return true;
  const str = (t: LogicalType): boolean => t.root === 'CHAR' || t.root === 'VARCHAR';
  if (str(from) && str(to)) return true;
  const bin = (t: LogicalType): boolean => t.root === 'BINARY' || t.root === 'VARBINARY';
  if (bin(from) && bin(to)) return true;
  if (from.root === to.root && (from.root === 'TIMESTAMP' || from.root === 'TIMESTAMP_LTZ' || from.root === 'TIME')) return true;
  if (from.root === to.root && (from.root === 'ARRAY' || from.root === 'MAP' || from.root === 'ROW' || from.root === 'MULTISET')) return true;
  return false;
}

const KIND_NAMES = ['INSERT', 'UPDATE_BEFORE', 'UPDATE_AFTER', 'DELETE'];

/** Both character strings, or both byte strings (types that differ only in length). */
function sameFamily(a: LogicalType, b: LogicalType): boolean {
  const str = (t: LogicalType): boolean => t.root === 'CHAR' || t.root === 'VARCHAR';
  const bin = (t: LogicalType): boolean => t.root === 'BINARY' || t.root === 'VARBINARY';
  return (str(a) && str(b)) || (bin(a) && bin(b));
}

/** What a query produces, for a sink. @internal */
export interface SinkInput {
  readonly mode: ChangelogMode;
  readonly upsertKey?: readonly number[];
}

/**
 * Adds the sink of `table` for `stream` (rows of `fields`).
 *
 * @internal
 */
export function writeToTable(stream: DataStream<Row>, input: SinkInput, fields: readonly Field[], table: CatalogTable, ctx: TranslateContext, what: string, targetColumns?: readonly string[]): void {
  const prepared = ctx.prepared.get(table.name);
  if (!prepared) throw new Error(`table ${table.name} was not prepared`);
  if (!prepared.factory.createTableSink) throw new SqlValidationError(`connector '${table.options['connector']}' of table '${table.name}' cannot be written to in SQL`);
  const declared = table.schema.columns.filter((c) => c.kind === 'physical' || (c.kind === 'metadata' && !c.virtual));
  // The sink's rows hold the physical columns, then the metadata ones (the contract's order); the query's columns
  // map to the table's in declaration order.
  const columns = [...declared.filter((c) => c.kind === 'physical'), ...declared.filter((c) => c.kind === 'metadata')];
  const consumed: RowType = { root: 'ROW', nullable: false, fields: columns.map((c) => ({ name: c.name, type: c.type.timeAttribute ? { ...c.type, timeAttribute: undefined } : c.type })) };
  // Which query field feeds each sink column.
  let source: (number | undefined)[];
  if (targetColumns) {
    for (const c of targetColumns) if (!columns.some((x) => x.name === c)) throw new SqlValidationError(`Unknown target column '${c}' of table '${table.name}'`);
    if (targetColumns.length !== fields.length) throw new SqlValidationError(`INSERT INTO ${table.name}: ${targetColumns.length} target columns but the query has ${fields.length} columns`);
    source = columns.map((c) => {
      const i = targetColumns.indexOf(c.name);
      return i < 0 ? undefined : i;
    });
  } else {
    if (fields.length !== columns.length) {
      throw new SqlValidationError(`Column types of query result and sink for '${table.name}' do not match: the query has ${fields.length} columns [${fields.map((f) => f.name).join(', ')}], the table ${declared.length} [${declared.map((c) => c.name).join(', ')}]`);
    }
    source = columns.map((c) => declared.indexOf(c));
  }
  const enforcer = (ctx.config['table.exec.sink.not-null-enforcer'] ?? 'ERROR').toUpperCase();
  const lengthEnforcer = (ctx.config['table.exec.sink.type-length-enforcer'] ?? 'IGNORE').toUpperCase();
  if (enforcer !== 'ERROR' && enforcer !== 'DROP') throw new SqlValidationError(`table.exec.sink.not-null-enforcer must be ERROR or DROP, got '${enforcer}'`);
  const projects: Rex[] = [];
  const notNull: number[] = [];
  columns.forEach((c, ci) => {
    const target = consumed.fields[ci]!.type;
    const si = source[ci];
    if (si === undefined) {
      if (!target.nullable) throw new SqlValidationError(`Column '${c.name}' of table '${table.name}' is NOT NULL and not given a value by the INSERT`);
      projects.push({ kind: 'literal', value: null, type: target });
      return;
    }
    const f = fields[si]!;
    const ft = f.type.timeAttribute ? { ...f.type, timeAttribute: undefined } : f.type;
    if (!implicitlyCastable(ft, target)) {
      throw new SqlValidationError(
        `Column types of query result and sink for '${table.name}' do not match: incompatible types for sink column '${c.name}' at position ${ci}: query ${formatLogicalType(ft)}, sink ${formatLogicalType(target)} (CAST the query column)`,
      );
    }
    const r: Rex = { kind: 'input', index: si, type: ft };
    // Flink's `table.exec.sink.type-length-enforcer` (IGNORE by default): a string or byte string keeps its length in a
    // CHAR/VARCHAR/BINARY/VARBINARY column of another length unless TRIM_PAD is set.
    const lengthOnly = sameFamily(ft, target) && lengthEnforcer === 'IGNORE';
    projects.push(sameType(ft, target) || lengthOnly ? r : castRex(r, { ...target, nullable: true }, ctx.fn, undefined));
    if (!target.nullable && ft.nullable) notNull.push(ci);
  });
  const names = columns.map((c) => c.name);
  // A query whose columns are the table's, in order, unchanged, with no NOT NULL to check needs no operator here.
  const identity = notNull.length === 0 && projects.length === fields.length && projects.every((p, i) => p.kind === 'input' && p.index === i);
  const project = compileProjection(projects);
  const mapped = identity ? stream : stream.flatMap<Row>((row: Row, out) => {
    const v = project(row.fields)!;
    for (const i of notNull) {
      if (v[i] === null || v[i] === undefined) {
        if (enforcer === 'DROP') return;
        throw new SqlRuntimeError(
          `Column '${names[i]}' is NOT NULL, however, a null value is being written into it. You can set job configuration 'table.exec.sink.not-null-enforcer'='DROP' to suppress this exception and drop such records silently. (table '${table.name}', row ${describeRow(row)})`,
        );
      }
    }
    out.collect(v === row.fields ? row : { kind: row.kind, fields: v });
  }, `ConstraintEnforcer(${table.name})`);
  // The changelog the sink takes.
  const tctx = tableContext(table.name, table.schema, table.options, prepared, ctx.config);
  const tableSink = prepared.factory.createTableSink(tctx);
  const accepted = tableSink.changelogMode(input.mode);
  const pk = table.schema.primaryKey?.columns.map((c) => names.indexOf(c));
  let out: DataStream<Row> = mapped;
  const missing = input.mode.kinds.filter((k) => !accepted.kinds.includes(k));
  if (missing.length > 0) {
    const onlyUb = missing.every((k) => k === RowKind.UPDATE_BEFORE);
    if (onlyUb && pk && pk.length > 0) {
      out = mapped.filter((r) => r.kind !== RowKind.UPDATE_BEFORE, `DropUpdateBefore(${table.name})`);
    } else if (isInsertOnly(accepted)) {
      throw new SqlValidationError(
        `Table sink '${table.name}' doesn't support consuming update and delete changes which are produced by the query (${what}); its connector '${table.options['connector']}' takes inserts only${pk ? '' : '. Use a connector that takes updates (e.g. upsert-kafka, jdbc, clickhouse), with a PRIMARY KEY'}`,
      );
    } else {
      throw new SqlValidationError(`Table sink '${table.name}' doesn't support consuming ${missing.map((k) => KIND_NAMES[k]).join(', ')} changes which are produced by the query (${what})${onlyUb ? ': declare a PRIMARY KEY on the sink table so that it takes upserts' : ''}`);
    }
  }
  const sink = tableSink.createSink({ consumedType: consumed, metadataKeys: columns.filter((c) => c.kind === 'metadata').map((c) => (c.kind === 'metadata' ? c.metadataKey : '')), changelogMode: input.mode, upsertKey: pk });
  const sinkParallelism = parseSinkParallelism(table);
  const inputParallelism = parallelismOf(out);
  const shuffle = (ctx.config['table.exec.sink.keyed-shuffle'] ?? 'AUTO').toUpperCase();
  if (shuffle !== 'AUTO' && shuffle !== 'FORCE' && shuffle !== 'NONE') throw new SqlValidationError(`table.exec.sink.keyed-shuffle must be AUTO, FORCE or NONE, got '${shuffle}'`);
  const differs = sinkParallelism !== undefined && sinkParallelism !== inputParallelism;
  if (differs && !isInsertOnly(input.mode) && !(pk && pk.length > 0)) {
    throw new SqlValidationError(
      `The sink for table '${table.name}' has a configured parallelism of ${sinkParallelism}, while the input parallelism is ${inputParallelism ?? 'the default'}. Since the configured parallelism is different from the input's parallelism and the changelog mode is not insert-only (${what}), a primary key is required but could not be found: declare a PRIMARY KEY on the table or remove 'sink.parallelism'`,
    );
  }
  const effective = sinkParallelism ?? inputParallelism;
  const keyed = pk && pk.length > 0 && effective !== 1 && ((shuffle === 'AUTO' && differs) || shuffle === 'FORCE');
  const toSink: DataStream<Row> = keyed ? out.keyBy(rowKeySelector(pk)) : out;
  const s = toSink.sinkTo(sink, `Sink(table=[default_catalog.default_database.${table.name}], fields=[${names.join(', ')}])`).uid(`sql-sink-${stableHash(table.name + what)}`);
  if (sinkParallelism !== undefined) s.setParallelism(sinkParallelism);
}

/** The table's `sink.parallelism`, validated; undefined when not set. */
function parseSinkParallelism(table: CatalogTable): number | undefined {
  const par = table.options['sink.parallelism'];
  if (par === undefined) return undefined;
  const p = Number(par);
  if (!Number.isInteger(p) || p < 1) throw new SqlValidationError(`'sink.parallelism' of table '${table.name}' must be a positive integer, got '${par}'`);
  return p;
}

/**
 * The parallelism of the operator that produces `stream` (through partitioning and union nodes, which have none of
 * their own): its set parallelism, or the environment's default; undefined when a union joins different ones.
 */
function parallelismOf(stream: DataStream<Row>): number | undefined {
  const fallback = stream.env.getParallelism();
  const of = (t: DataStream<Row>['transformation']): number | undefined => {
    if (!t.isVirtual) return t.parallelism ?? fallback;
    const ps = new Set(t.inputs.map(of));
    return ps.size === 1 ? [...ps][0] : undefined;
  };
  return of(stream.transformation);
}
