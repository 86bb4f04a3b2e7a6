// The catalog statements: CREATE TABLE (with LIKE), CREATE VIEW, DROP, ALTER TABLE, and SHOW CREATE TABLE's
// text. They change the session's catalog only; nothing runs.
import { formatLogicalType } from '@runnel/api/table';
import type { AlterTable, ColumnDef, CreateTable, CreateView, Drop } from '../parser/ast.js';
import { Catalog, type CatalogTable } from '../catalog/catalog.js';
import { resolveCreateTable } from '../binder/bind-table.js';
import { bindQuery } from '../binder/bind-query.js';
import type { FunctionContext } from '../functions/function-definition.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';

type LikeAction = 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING';

/** Merges `CREATE TABLE t (...) WITH (...) LIKE src (...)` into one table definition, as Flink does. */
function mergeLike(ddl: CreateTable, catalog: Catalog): CreateTable {
  const like = ddl.like;
  if (!like) return ddl;
  const src = catalog.lookup(like.name);
  if (src.kind !== 'table') throw new SqlValidationError(`LIKE needs a table, '${src.name}' is a view`, like.pos);
  // Flink's defaults: INCLUDING ALL, OVERWRITING OPTIONS; GENERATED and WATERMARKS are INCLUDING (error on clash).
  const strategy: Record<string, LikeAction> = { CONSTRAINTS: 'INCLUDING', GENERATED: 'INCLUDING', METADATA: 'INCLUDING', OPTIONS: 'OVERWRITING', WATERMARKS: 'INCLUDING', PARTITIONS: 'INCLUDING' };
  for (const o of like.options) {
    const what = o.what.toUpperCase();
    if (what === 'ALL') {
      for (const k of Object.keys(strategy)) strategy[k] = o.action === 'EXCLUDING' ? 'EXCLUDING' : o.action;
    } else {
      if (!(what in strategy)) throw new SqlValidationError(`unknown LIKE option ${o.what}`, like.pos);
      strategy[what] = o.action;
    }
  }
  const base = src.ddl;
  const columns: ColumnDef[] = [];
  for (const c of base.columns) {
    if (c.kind === 'computed' && strategy['GENERATED'] === 'EXCLUDING') continue;
    if (c.kind === 'metadata' && strategy['METADATA'] === 'EXCLUDING') continue;
    columns.push(c);
  }
  for (const c of ddl.columns) {
    const i = columns.findIndex((x) => x.name === c.name);
    if (i >= 0) {
      const overwrite = (c.kind === 'computed' && strategy['GENERATED'] === 'OVERWRITING') || (c.kind === 'metadata' && strategy['METADATA'] === 'OVERWRITING');
      if (!overwrite) throw new SqlValidationError(`A column named '${c.name}' already exists in the base table`, c.pos);
      columns[i] = c;
    } else columns.push(c);
  }
  let watermark = strategy['WATERMARKS'] === 'EXCLUDING' ? undefined : base.watermark;
  if (ddl.watermark) {
    if (watermark && strategy['WATERMARKS'] !== 'OVERWRITING') throw new SqlValidationError(`There already exists a watermark spec for column '${watermark.column}' in the base table; use OVERWRITING WATERMARKS`, ddl.watermark.pos);
    watermark = ddl.watermark;
  }
  let primaryKey = strategy['CONSTRAINTS'] === 'EXCLUDING' ? undefined : base.primaryKey;
  if (ddl.primaryKey) {
    if (primaryKey) throw new SqlValidationError('The base table already has a primary key', ddl.primaryKey.pos);
    primaryKey = ddl.primaryKey;
  }
  const options = new Map<string, { key: string; value: string; pos: CreateTable['pos'] }>();
  if (strategy['OPTIONS'] !== 'EXCLUDING') for (const o of base.options) options.set(o.key, o);
  for (const o of ddl.options) {
    if (options.has(o.key) && strategy['OPTIONS'] === 'INCLUDING') throw new SqlValidationError(`option '${o.key}' is also in the base table; use OVERWRITING OPTIONS`, o.pos);
    options.set(o.key, o);
  }
  return { ...ddl, columns, watermark, primaryKey, options: [...options.values()], like: undefined, partitionedBy: ddl.partitionedBy ?? (strategy['PARTITIONS'] === 'EXCLUDING' ? undefined : base.partitionedBy) };
}

/** CREATE TABLE. @internal */
export function createTable(ddl: CreateTable, catalog: Catalog, fn: FunctionContext): string {
  const name = Catalog.simpleName(ddl.name);
  const merged = mergeLike(ddl, catalog);
  const table = resolveCreateTable(merged, name, fn);
  if (!table.options['connector']) throw new SqlValidationError(`Table '${name}' needs a connector: add WITH ('connector' = '...')`, ddl.pos);
  catalog.add(table, ddl.ifNotExists, ddl.name.pos);
  return '[INFO] Execute statement succeeded.';
}

/** CREATE VIEW (the query is validated now). @internal */
export function createView(stmt: CreateView, catalog: Catalog, fn: FunctionContext): string {
  const name = Catalog.simpleName(stmt.name);
  const rel = bindQuery(stmt.query, { catalog, fn, ctes: new Map(), expanding: new Set([name]) });
  if (stmt.columns && stmt.columns.length !== rel.fields.length) throw new SqlValidationError(`View '${name}' names ${stmt.columns.length} columns but its query has ${rel.fields.length}`, stmt.pos);
  catalog.add({ kind: 'view', name, temporary: stmt.temporary, query: stmt.query, queryText: stmt.queryText, columnNames: stmt.columns, comment: stmt.comment }, stmt.ifNotExists, stmt.name.pos);
  return '[INFO] Execute statement succeeded.';
}

/** DROP TABLE / VIEW. @internal */
export function drop(stmt: Drop, catalog: Catalog): string {
  if (stmt.what !== 'TABLE' && stmt.what !== 'VIEW') throw new SqlNotSupportedError(`DROP ${stmt.what}`, stmt.pos);
  const name = Catalog.simpleName(stmt.name);
  const e = catalog.get(name);
  const want = stmt.what === 'TABLE' ? 'table' : 'view';
  if (!e || e.kind !== want) {
    if (stmt.ifExists) return '[INFO] Execute statement succeeded.';
    throw new SqlValidationError(`${stmt.what === 'TABLE' ? 'Table' : 'View'} with identifier 'default_catalog.default_database.${name}' does not exist.`, stmt.name.pos);
  }
  catalog.remove(name);
  return '[INFO] Execute statement succeeded.';
}

/** ALTER TABLE ... SET / RESET / RENAME TO. @internal */
export function alterTable(stmt: AlterTable, catalog: Catalog, fn: FunctionContext): string {
  const name = Catalog.simpleName(stmt.name);
  const e = catalog.get(name);
  if (!e || e.kind !== 'table') {
    if (stmt.ifExists) return '[INFO] Execute statement succeeded.';
    throw new SqlValidationError(`Table with identifier 'default_catalog.default_database.${name}' does not exist.`, stmt.name.pos);
  }
  const a = stmt.action;
  if (a.kind === 'unsupported') throw new SqlNotSupportedError(`ALTER TABLE ${a.what}`, a.pos);
  if (a.kind === 'rename') {
    const to = Catalog.simpleName(a.to);
    if (catalog.get(to)) throw new SqlValidationError(`Table '${to}' already exists`, a.to.pos);
    catalog.remove(name);
    catalog.add({ ...e, name: to }, false);
    return '[INFO] Execute statement succeeded.';
  }
  const options = new Map(e.ddl.options.map((o) => [o.key, o]));
  if (a.kind === 'set') for (const o of a.options) options.set(o.key, o);
  else for (const k of a.keys) {
    if (k === 'connector') throw new SqlValidationError("ALTER TABLE RESET does not allow resetting 'connector'", stmt.pos);
    options.delete(k);
  }
  const ddl: CreateTable = { ...e.ddl, options: [...options.values()] };
  catalog.replace(resolveCreateTable(ddl, name, fn));
  return '[INFO] Execute statement succeeded.';
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function ident(s: string): string {
  return `\`${s.replace(/`/g, '``')}\``;
}

/** SHOW CREATE TABLE's text (secrets in options are shown as `******`). @internal */
export function showCreateTable(t: CatalogTable, redact: (key: string) => boolean): string {
  const lines: string[] = [];
  for (const c of t.schema.columns) {
    const type = formatLogicalType({ ...c.type, timeAttribute: undefined });
    if (c.kind === 'physical') lines.push(`  ${ident(c.name)} ${type}${c.comment ? ` COMMENT ${quote(c.comment)}` : ''}`);
    else if (c.kind === 'computed') lines.push(`  ${ident(c.name)} AS ${c.expression}`);
    else lines.push(`  ${ident(c.name)} ${type} METADATA${c.metadataKey !== c.name ? ` FROM ${quote(c.metadataKey)}` : ''}${c.virtual ? ' VIRTUAL' : ''}`);
  }
  for (const w of t.schema.watermarkSpecs) lines.push(`  WATERMARK FOR ${ident(w.rowtimeAttribute)} AS ${w.expression}`);
  if (t.schema.primaryKey) lines.push(`  CONSTRAINT ${ident(t.schema.primaryKey.name)} PRIMARY KEY (${t.schema.primaryKey.columns.map(ident).join(', ')}) NOT ENFORCED`);
  const opts = Object.entries(t.options).map(([k, v]) => `  ${quote(k)} = ${redact(k) ? "'******'" : quote(v)}`);
  return `CREATE ${t.temporary ? 'TEMPORARY ' : ''}TABLE \`default_catalog\`.\`default_database\`.${ident(t.name)} (\n${lines.join(',\n')}\n)${t.comment ? `\nCOMMENT ${quote(t.comment)}` : ''}${t.partitionKeys.length ? `\nPARTITIONED BY (${t.partitionKeys.map(ident).join(', ')})` : ''}\nWITH (\n${opts.join(',\n')}\n)\n`;
}
