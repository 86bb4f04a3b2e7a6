// Plans the statements that run as a job (INSERT INTO, EXECUTE STATEMENT SET, SELECT) into a dataflow: binds each
// query, prepares the connectors and formats of every table involved (asynchronously: they may be imported), then
// translates the plan into the environment's transformations. The SQL client does this to submit the job and to
// explain it; every worker does it again from the same statements to build the same graph.
import { scanUses } from '../planner/projection-pushdown.js';
import type { Row } from '@runnel/api/table';
import type { StreamExecutionEnvironment } from '@runnel/runtime';
import type { Insert, QueryStatement, StatementSet } from '../parser/ast.js';
import { Catalog, type CatalogTable } from '../catalog/catalog.js';
import { bindQuery } from '../binder/bind-query.js';
import { inputsOfRel, type Field, type Rel } from '../plan/rel.js';
import { prepareTable, type PreparedTable } from '../connectors/prepared-table.js';
import { errorPolicyOf } from '../connectors/error-policy.js';
import { FORMAT_KEYS } from '../connectors/prepared-table.js';
import type { FunctionContext } from '../functions/function-definition.js';
import { translate } from '../planner/translate.js';
import { writeToTable } from '../planner/sink.js';
import type { TranslateContext } from '../planner/translate-context.js';
import { SqlValidationError } from '../validation-error.js';

/** The collect channel of a SELECT's rows. @internal */
export const SELECT_CHANNEL = 'sql-select';

/** A bound job statement. @internal */
export interface BoundJob {
  readonly inserts: readonly { readonly rel: Rel; readonly table: CatalogTable; readonly columns?: readonly string[]; readonly text: string }[];
  readonly select?: Rel;
}

/** Binds the queries of a job statement. @internal */
export function bindJob(stmt: Insert | StatementSet | QueryStatement, catalog: Catalog, fn: FunctionContext): BoundJob {
  const env = { catalog, fn, ctes: new Map(), expanding: new Set<string>() };
  if (stmt.type === 'query-statement') return { inserts: [], select: bindQuery(stmt.query, env) };
  const inserts = stmt.type === 'insert' ? [stmt] : stmt.inserts;
  if (inserts.length === 0) throw new SqlValidationError('EXECUTE STATEMENT SET needs at least one INSERT', stmt.pos);
  return {
    inserts: inserts.map((ins) => {
      if (ins.overwrite) throw new SqlValidationError('INSERT OVERWRITE is only supported in batch mode; use INSERT INTO', ins.pos);
      if (ins.partition?.length) throw new SqlValidationError('INSERT ... PARTITION is not supported: the filesystem sink is not partitioned yet', ins.pos);
      const entry = catalog.lookup(ins.table);
      if (entry.kind !== 'table') throw new SqlValidationError(`'${entry.name}' is a view: INSERT needs a table`, ins.table.pos);
      const table = ins.hints?.length ? withHints(entry, ins.hints) : entry;
      return { rel: bindQuery(ins.query, env), table, columns: ins.columns, text: `INSERT INTO ${entry.name}` };
    }),
  };
}

function withHints(t: CatalogTable, hints: NonNullable<Insert['hints']>): CatalogTable {
  const options = { ...t.options };
  for (const h of hints) if (h.name.toUpperCase() === 'OPTIONS' && !Array.isArray(h.options)) Object.assign(options, h.options);
  return { ...t, options };
}

function scans(rel: Rel, into: Map<string, { name: string; options: Readonly<Record<string, string>> }>): void {
  if (rel.kind === 'scan') into.set(`${rel.table.name}\u0000${JSON.stringify(rel.options)}`, { name: rel.table.name, options: rel.options });
  for (const i of inputsOfRel(rel)) scans(i, into);
}

/**
 * Prepares every table a job reads or writes (and the dead-letter tables its sources name).
 *
 * @internal
 */
export async function prepareJob(job: BoundJob, catalog: Catalog, from: readonly string[]): Promise<Map<string, PreparedTable>> {
  const tables = new Map<string, { name: string; options: Readonly<Record<string, string>> }>();
  for (const i of job.inserts) {
    scans(i.rel, tables);
    tables.set(i.table.name, { name: i.table.name, options: i.table.options });
  }
  if (job.select) scans(job.select, tables);
  const prepared = new Map<string, PreparedTable>();
  for (const { name, options } of tables.values()) {
    if (!prepared.has(name)) prepared.set(name, await prepareTable(name, options, from));
    const p = prepared.get(name)!;
    for (const key of FORMAT_KEYS) {
      const f = p.formats.get(key);
      if (!f) continue;
      const prefix = `${key === 'format' ? '' : key.slice(0, -'format'.length)}${f.identifier}.`;
      const dl = errorPolicyOf(options, prefix).deadLetterTable;
      if (dl !== undefined && !prepared.has(dl)) {
        const t = catalog.get(dl);
        if (t?.kind === 'table') prepared.set(dl, await prepareTable(dl, t.options, from));
      }
    }
  }
  return prepared;
}

/**
 * Adds a bound job's dataflow to an environment; returns the SELECT's output fields, if it is one.
 *
 * @internal
 */
export function translateJob(job: BoundJob, env: StreamExecutionEnvironment, catalog: Catalog, prepared: ReadonlyMap<string, PreparedTable>, config: Readonly<Record<string, string>>, fn: FunctionContext): { selectFields?: readonly Field[]; context: TranslateContext } {
  // Every reader of every scan is known here: projections are pushed into the sources that take them.
  const roots = [...job.inserts.map((i) => i.rel), ...(job.select ? [job.select] : [])];
  const ctx: TranslateContext = { env, catalog, prepared, config, fn, done: new Map(), modes: new Map(), state: new Map(), uids: new Map(), scanUses: scanUses(roots) };
  for (const ins of job.inserts) {
    const t = translate(ins.rel, ctx);
    writeToTable(t.stream, t, ins.rel.fields, ins.table, ctx, ins.text, ins.columns);
  }
  if (job.select) {
    const t = translate(job.select, ctx);
    // One collecting subtask (as Flink's collect sink): the client sees the changes in the order the query made them.
    t.stream.collect(SELECT_CHANNEL, 'Collect', { maxDelayMs: 100 }).setParallelism(1);
    return { selectFields: job.select.fields, context: ctx };
  }
  return { context: ctx };
}

export type { Row };
