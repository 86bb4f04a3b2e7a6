// Tables: resolves a CREATE TABLE into a catalog table (column types, computed column types, the rowtime attribute
// and its watermark, the primary key, LIKE merged), and builds the scan of a table reference from it.
import type { Column, LogicalType, ResolvedSchema } from '@runnel/api/table';
import type { CreateTable, Expr, TableRef } from '../parser/ast.js';
import type { CatalogTable } from '../catalog/catalog.js';
import type { Field, ScanRel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import type { FunctionContext } from '../functions/function-definition.js';
import { toLogicalType } from '../types/type-spec.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindExpr } from './bind-expression.js';
import { Scope } from './scope.js';
import { parseExpression } from '../parser/parser.js';

const TIMESTAMP_ROOTS = new Set(['TIMESTAMP', 'TIMESTAMP_LTZ']);

function rowtimeType(t: LogicalType): LogicalType {
  return { ...t, timeAttribute: 'rowtime' };
}

/**
 * Resolves a CREATE TABLE (LIKE already merged into it) into a catalog table.
 *
 * @internal
 */
export function resolveCreateTable(ddl: CreateTable, name: string, fn: FunctionContext): CatalogTable {
  const seen = new Set<string>();
  const raw: Field[] = [];
  for (const c of ddl.columns) {
    if (seen.has(c.name)) throw new SqlValidationError(`Column '${c.name}' is defined twice`, c.pos);
    seen.add(c.name);
    if (c.kind !== 'computed') raw.push({ name: c.name, type: toLogicalType(c.dataType) });
  }
  const rawScope = Scope.of(raw);
  const pkCols = ddl.primaryKey?.columns ?? ddl.columns.filter((c) => c.kind === 'physical' && c.primaryKey).map((c) => c.name);
  if (ddl.primaryKey && ddl.primaryKey.enforced) throw new SqlValidationError("Flink doesn't support ENFORCED mode for PRIMARY KEY constraint: write PRIMARY KEY (...) NOT ENFORCED", ddl.primaryKey.pos);
  const columns: Column[] = [];
  for (const c of ddl.columns) {
    let type: LogicalType;
    if (c.kind === 'computed') {
      const r = bindExpr(c.expr, { scope: rawScope, fn, noAggregates: 'in a computed column' });
      type = r.type;
      columns.push({ kind: 'computed', name: c.name, type, expression: c.exprText });
    } else {
      type = toLogicalType(c.dataType);
      if (pkCols.includes(c.name) && type.nullable) type = { ...type, nullable: false };
      if (c.kind === 'physical') columns.push({ kind: 'physical', name: c.name, type, comment: c.comment });
      else columns.push({ kind: 'metadata', name: c.name, type, metadataKey: c.from ?? c.name, virtual: c.virtual });
    }
  }
  for (const k of pkCols) {
    const col = columns.find((c) => c.name === k);
    if (!col) throw new SqlValidationError(`Primary key column '${k}' is not defined`, ddl.primaryKey?.pos ?? ddl.pos);
    if (col.kind === 'computed' || (col.kind === 'metadata' && col.virtual)) {
      throw new SqlValidationError(`Primary key column '${k}' must be a physical column`, ddl.primaryKey?.pos ?? ddl.pos);
    }
  }
  const watermarkSpecs = [];
  if (ddl.watermark) {
    const wm = ddl.watermark;
    const i = columns.findIndex((c) => c.name === wm.column);
    if (i < 0) throw new SqlValidationError(`The rowtime attribute field '${wm.column}' is not defined in the table schema`, wm.pos);
    const col = columns[i]!;
    if (!TIMESTAMP_ROOTS.has(col.type.root) || (col.type.precision ?? 6) > 3) {
      throw new SqlValidationError(`Invalid data type of time field for watermark definition. The field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is ${col.type.root}(${col.type.precision ?? 6})`, wm.pos);
    }
    const scope = Scope.of(columns.map((c) => ({ name: c.name, type: c.type })));
    const r = bindExpr(wm.expr, { scope, fn, noAggregates: 'in a watermark' });
    if (!TIMESTAMP_ROOTS.has(r.type.root)) throw new SqlValidationError(`Watermark strategy ${wm.exprText} must be of type TIMESTAMP or TIMESTAMP_LTZ but is ${r.type.root}`, wm.expr.pos);
    columns[i] = { ...col, type: rowtimeType(col.type) } as Column;
    watermarkSpecs.push({ rowtimeAttribute: wm.column, expression: wm.exprText });
  }
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    if (c.kind === 'computed' && c.type.timeAttribute === 'proctime' && ddl.watermark?.column === c.name) {
      throw new SqlValidationError(`Column '${c.name}' is a processing-time attribute and cannot be a rowtime attribute`, ddl.watermark.pos);
    }
  }
  const schema: ResolvedSchema = {
    columns,
    watermarkSpecs,
    primaryKey: pkCols.length > 0 ? { name: ddl.primaryKey?.name ?? `PK_${pkCols.join('_')}`, columns: pkCols } : undefined,
  };
  const options: Record<string, string> = {};
  for (const o of ddl.options) options[o.key] = o.value;
  if (ddl.asQuery) throw new SqlNotSupportedError('CREATE TABLE ... AS SELECT', ddl.pos);
  return { kind: 'table', name, temporary: ddl.temporary, schema, options, comment: ddl.comment, partitionKeys: ddl.partitionedBy ?? [], ddl };
}

/**
 * The scan of a table: all its columns, in declaration order.
 *
 * @internal
 */
export function scanTable(table: CatalogTable, ref: TableRef, fn: FunctionContext): ScanRel {
  const cols = table.schema.columns;
  const physical: number[] = [];
  const rawFields: Field[] = [];
  const metadataKeys: string[] = [];
  let p = 0;
  for (const c of cols) {
    if (c.kind === 'physical') {
      physical.push(p++);
      rawFields.push({ name: c.name, type: c.type.timeAttribute ? { ...c.type, timeAttribute: undefined } : c.type });
    }
  }
  for (const c of cols) {
    if (c.kind === 'metadata') {
      metadataKeys.push(c.metadataKey);
      rawFields.push({ name: c.name, type: c.type.timeAttribute ? { ...c.type, timeAttribute: undefined } : c.type });
    }
  }
  const rawScope = Scope.of(rawFields);
  const projects: Rex[] = [];
  const fields: Field[] = [];
  for (const c of cols) {
    if (c.kind === 'computed') {
      const ddlCol = table.ddl.columns.find((d) => d.name === c.name);
      const expr: Expr = ddlCol && ddlCol.kind === 'computed' ? ddlCol.expr : parseExpression(c.expression);
      const r = bindExpr(expr, { scope: rawScope, fn });
      projects.push(r);
    } else {
      const i = rawFields.findIndex((f) => f.name === c.name);
      projects.push({ kind: 'input', index: i, type: rawFields[i]!.type });
    }
    fields.push({ name: c.name, type: c.type });
  }
  let watermark: ScanRel['watermark'];
  const wm = table.ddl.watermark;
  if (wm) {
    const rowtime = fields.findIndex((f) => f.name === wm.column);
    const scope = Scope.of(fields.map((f) => ({ name: f.name, type: f.type })));
    watermark = { rowtime, expr: bindExpr(wm.expr, { scope, fn }) };
  }
  const options: Record<string, string> = { ...table.options };
  for (const h of ref.hints ?? []) {
    if (h.name.toUpperCase() !== 'OPTIONS') throw new SqlNotSupportedError(`the hint ${h.name}`, ref.pos);
    if (Array.isArray(h.options)) throw new SqlValidationError('OPTIONS hints take key-value pairs', ref.pos);
    Object.assign(options, h.options);
  }
  return { kind: 'scan', table, fields, physical, metadataKeys, rawFields, projects, watermark, options };
}
