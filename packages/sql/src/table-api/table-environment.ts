// The Table API for TypeScript jobs (Flink's StreamTableEnvironment): run SQL statements against a
// StreamExecutionEnvironment, register DataStreams as views, and turn query results back into DataStreams (insert-only
// rows, or a changelog of rows with their kinds). It builds into the job's environment, so it is used inside a job
// function (`defineJob`), which every worker runs again: connectors and formats are found asynchronously, hence the
// `await`s.
import { isAccumulate, RowKind, type LogicalType, type Row } from '@runnel/api/table';
import type { DataStream, StreamExecutionEnvironment } from '@runnel/runtime';
import { parseScript, parseType } from '../parser/parser.js';
import type { Insert, QueryStatement, StatementSet } from '../parser/ast.js';
import { SqlSession } from '../session/sql-session.js';
import { bindJob, prepareJob, translateJob } from '../session/plan-job.js';
import { translate } from '../planner/translate.js';
import type { TranslateContext } from '../planner/translate-context.js';
import type { Field, Rel, StreamRel } from '../plan/rel.js';
import { toLogicalType } from '../types/type-spec.js';
import { SqlValidationError } from '../validation-error.js';

/**
 * A query's result, to be turned into a DataStream.
 *
 * @public
 */
export interface Table {
  /** The columns of the result. */
  readonly columns: readonly { readonly name: string; readonly type: LogicalType }[];
}

interface TableImpl extends Table {
  readonly rel: Rel;
}

/**
 * A column of a DataStream registered as a view: its name and Flink SQL type (`BIGINT`, `STRING`,
 * `TIMESTAMP(3)`, ...). Values must already be in Runnel's representation of the type (BIGINT as bigint, ...).
 *
 * @public
 */
export interface StreamColumn {
  /** The column name. */
  readonly name: string;
  /** The Flink SQL type, e.g. `BIGINT`, `TIMESTAMP(3)`. */
  readonly type: string;
}

/**
 * Runs SQL in a job.
 *
 * @public
 */
export class StreamTableEnvironment {
  private readonly session: SqlSession;
  private translateContext?: TranslateContext;

  private constructor(
    private readonly env: StreamExecutionEnvironment,
    config: Readonly<Record<string, string>>,
    private readonly searchPath: readonly string[],
  ) {
    this.session = new SqlSession({ config, pluginSearchPath: searchPath });
  }

  /**
   * A table environment on a job's stream environment. `from` is the job module (`import.meta.url`): connectors
   * and formats installed around it are found by identifier.
   */
  static create(env: StreamExecutionEnvironment, options: { readonly config?: Readonly<Record<string, string>>; readonly from?: string } = {}): StreamTableEnvironment {
    return new StreamTableEnvironment(env, options.config ?? {}, options.from ? [options.from] : []);
  }

  /**
   * Executes statements: DDL and SET take effect; INSERT INTO and EXECUTE STATEMENT SET add their dataflow to the
   * job (they run when the job runs). A SELECT is refused: use {@link StreamTableEnvironment.sqlQuery}.
   */
  async executeSql(sql: string): Promise<void> {
    for (const stmt of parseScript(sql)) {
      const s = stmt.statement;
      if (s.type === 'query-statement') throw new SqlValidationError('executeSql runs statements; use sqlQuery() for a SELECT and toDataStream()/toChangelogStream() for its rows', s.pos);
      if (s.type === 'insert' || s.type === 'statement-set') {
        const fn = this.session.functionContext();
        const job = bindJob(s as Insert | StatementSet, this.session.catalog, fn);
        const prepared = await prepareJob(job, this.session.catalog, this.searchPath);
        translateJob(job, this.env, this.session.catalog, prepared, this.session.getConfig(), fn);
        continue;
      }
      await this.session.execute(stmt);
    }
  }

  /** Plans a query; turn the result into a stream with toDataStream or toChangelogStream. */
  async sqlQuery(sql: string): Promise<Table> {
    const stmts = parseScript(sql);
    if (stmts.length !== 1 || stmts[0]!.statement.type !== 'query-statement') throw new SqlValidationError('sqlQuery takes one SELECT');
    const fn = this.session.functionContext();
    const job = bindJob(stmts[0]!.statement as QueryStatement, this.session.catalog, fn);
    const prepared = await prepareJob(job, this.session.catalog, this.searchPath);
    const ctx = this.context();
    for (const [k, v] of prepared) (ctx.prepared as Map<string, typeof v>).set(k, v);
    const t: TableImpl = { rel: job.select!, columns: job.select!.fields };
    return t;
  }

  private context(): TranslateContext {
    this.translateContext ??= { env: this.env, catalog: this.session.catalog, prepared: new Map(), config: this.session.getConfig(), fn: this.session.functionContext(), done: new Map(), modes: new Map(), state: new Map(), uids: new Map() };
    return this.translateContext;
  }

  /** The rows of an insert-only result (a query with updates is refused: use toChangelogStream). */
  toDataStream(table: Table): DataStream<Row> {
    const t = translate((table as TableImpl).rel, this.context());
    if (t.mode.kinds.some((k) => k !== RowKind.INSERT)) {
      throw new SqlValidationError('Table sink \'toDataStream\' doesn\'t support consuming update changes: the query updates its results; use toChangelogStream()');
    }
    return t.stream;
  }

  /** The changelog of a result: rows with their kinds (+I, -U, +U, -D). */
  toChangelogStream(table: Table): DataStream<Row> {
    return translate((table as TableImpl).rel, this.context()).stream;
  }

  /**
   * Registers a stream of plain objects (one property per column) as a view, so SQL can read it. Use
   * `changelog: true` for a stream of `Row`s with kinds instead.
   */
  createTemporaryView<T extends object>(name: string, stream: DataStream<T>, columns: readonly StreamColumn[], options: { readonly changelog?: boolean } = {}): void {
    const fields: Field[] = columns.map((c) => ({ name: c.name, type: toLogicalType(parseType(c.type)) }));
    const names = fields.map((f) => f.name);
    const rows = options.changelog
      ? (stream as unknown as DataStream<Row>)
      : (stream as unknown as DataStream<Record<string, unknown>>).map((o): Row => ({ kind: RowKind.INSERT, fields: names.map((n) => o[n] ?? null) }), `FromDataStream(${name})`);
    const rel: StreamRel = { kind: 'stream', name, stream: rows, fields, insertOnly: !options.changelog };
    this.session.catalog.add({ kind: 'stream', name, temporary: true, rel }, false);
  }
}

export { isAccumulate };
