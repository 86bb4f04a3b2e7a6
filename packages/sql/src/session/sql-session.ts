// A SQL session, as Flink's SQL client has one: a catalog, the session's configuration (SET), and statement
// execution. Catalog and configuration statements take effect at once; INSERT, statement sets and SELECT are
// planned and submitted as jobs (on worker threads) whose workers replay the session's statements to build the same
// graph. The same session serves `runnel sql` and the programmatic Table API.
import { formatLogicalType, formatChangelogMode } from '@runnel/api/table';
import { ConfigurationError, parseOptions } from '@runnel/api/config';
import { RUNTIME_OPTIONS, StreamExecutionEnvironment, submitJob, type JobClient } from '@runnel/runtime';
import { parseScript } from '../parser/parser.js';
import type { Explain, ParsedStatement, Statement } from '../parser/ast.js';
import { Catalog } from '../catalog/catalog.js';
import type { FunctionContext } from '../functions/function-definition.js';
import { bindQuery } from '../binder/bind-query.js';
import { explainRel } from '../plan/explain.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { alterTable, createTable, createView, drop, showCreateTable } from './ddl.js';
import { bindJob, prepareJob, translateJob } from './plan-job.js';
import { isSensitiveKey } from './sensitive-keys.js';
import { TABLE_OPTIONS } from './table-options.js';
import type { StatementResult } from './statement-result.js';
import { explainStateLayoutRefusal } from './state-layout-refusal.js';

/** Options of a session. @public */
export interface SqlSessionOptions {
  /** Initial configuration (`SET` keys). */
  readonly config?: Readonly<Record<string, string>>;
  /** Modules or directories around which connectors and formats are searched (the script's directory). */
  readonly pluginSearchPath?: readonly string[];
}

/** The job statements a worker replays: the session's statements so far, then the job's. @internal */
export interface SqlJobArgs {
  readonly statements: readonly string[];
  readonly config: Readonly<Record<string, string>>;
  readonly pluginSearchPath: readonly string[];
}

const JOB_MODULE = new URL(import.meta.url.endsWith('.ts') ? '../execution/sql-job.ts' : '../execution/sql-job.js', import.meta.url);

const ALL_OPTIONS = [...RUNTIME_OPTIONS, ...TABLE_OPTIONS, { key: 'pipeline.name', type: 'string', description: 'The name of the jobs the session submits.' } as const];

/**
 * A SQL session.
 *
 * @public
 */
export class SqlSession {
  /** @internal */
  readonly catalog = new Catalog();
  private readonly config = new Map<string, string>();
  private readonly initial: Readonly<Record<string, string>>;
  /** Statements that changed the catalog or configuration, in order (replayed by workers). */
  private readonly history: string[] = [];
  private readonly searchPath: readonly string[];

  constructor(options: SqlSessionOptions = {}) {
    this.initial = options.config ?? {};
    for (const [k, v] of Object.entries(this.initial)) this.setOption(k, v);
    this.searchPath = options.pluginSearchPath ?? [];
  }

  /** The session configuration. */
  getConfig(): Record<string, string> {
    return Object.fromEntries(this.config);
  }

  /** @internal */
  functionContext(): FunctionContext {
    const tz = this.config.get('table.local-time-zone');
    return { localTimeZone: tz === undefined || tz === 'default' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz };
  }

  private setOption(key: string, value: string): void {
    parseOptions(ALL_OPTIONS, { [key]: value }, { context: 'SET' });
    if (key === 'table.local-time-zone' && value !== 'default') {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
      } catch {
        if (!/^(?:GMT|UTC)?[+-]\d{1,2}:?\d{2}$/.test(value)) throw new ConfigurationError(`table.local-time-zone: unknown time zone '${value}' (use an IANA zone such as 'Asia/Shanghai' or an offset such as 'GMT+08:00')`, key);
      }
    }
    this.config.set(key, value);
  }

  /** Parses a script into statements (throws SqlParseError with line and column). */
  static parse(text: string): ParsedStatement[] {
    return parseScript(text);
  }

  /** Executes every statement of a script in order, handing each result to `onResult` (awaited). */
  async executeScript(text: string, onResult: (stmt: ParsedStatement, result: StatementResult) => void | Promise<void>): Promise<void> {
    for (const stmt of parseScript(text)) await onResult(stmt, await this.execute(stmt));
  }

  /** Executes one statement. Jobs are submitted and returned running. */
  async execute(parsed: ParsedStatement): Promise<StatementResult> {
    const s = parsed.statement;
    const fn = this.functionContext();
    switch (s.type) {
      case 'create-table':
        return this.remember(parsed, createTable(s, this.catalog, fn));
      case 'create-view':
        return this.remember(parsed, createView(s, this.catalog, fn));
      case 'drop':
        return this.remember(parsed, drop(s, this.catalog));
      case 'alter-table':
        return this.remember(parsed, alterTable(s, this.catalog, fn));
      case 'set':
        if (s.key === undefined) {
          const rows = [...this.config].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, isSensitiveKey(k) ? '******' : v]);
          return { kind: 'table', columns: ['key', 'value'], rows };
        }
        this.setOption(s.key, s.value ?? '');
        this.history.push(parsed.text);
        return { kind: 'message', text: '[INFO] Execute statement succeeded.' };
      case 'reset':
        if (s.key === undefined) {
          this.config.clear();
          for (const [k, v] of Object.entries(this.initial)) this.config.set(k, v);
        } else if (this.initial[s.key] !== undefined) this.config.set(s.key, this.initial[s.key]!);
        else this.config.delete(s.key);
        this.history.push(parsed.text);
        return { kind: 'message', text: '[INFO] Execute statement succeeded.' };
      case 'show':
        return this.show(s);
      case 'describe':
        return this.describe(s);
      case 'explain':
        return { kind: 'text', text: await this.explain(s) };
      case 'insert':
      case 'statement-set':
      case 'query-statement':
        return this.submit(parsed);
      case 'other':
        throw new SqlNotSupportedError(s.what, s.pos);
    }
  }

  private remember(parsed: ParsedStatement, message: string): StatementResult {
    this.history.push(parsed.text);
    return { kind: 'message', text: message };
  }

  private show(s: Extract<Statement, { type: 'show' }>): StatementResult {
    switch (s.what) {
      case 'TABLES':
      case 'VIEWS': {
        let names = this.catalog.names(s.what === 'TABLES' ? undefined : 'view');
        if (s.like !== undefined) {
          const re = new RegExp(`^${s.like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`);
          names = names.filter((n) => re.test(n));
        }
        return { kind: 'table', columns: [s.what === 'TABLES' ? 'table name' : 'view name'], rows: names.map((n) => [n]) };
      }
      case 'CREATE TABLE': {
        const e = this.catalog.lookup(s.name!);
        if (e.kind !== 'table') throw new SqlValidationError(`SHOW CREATE TABLE is only supported for tables, but '${e.name}' is a view. Please use SHOW CREATE VIEW instead.`, s.pos);
        return { kind: 'text', text: showCreateTable(e, isSensitiveKey) };
      }
      case 'CREATE VIEW': {
        const e = this.catalog.lookup(s.name!);
        if (e.kind !== 'view') throw new SqlValidationError(`SHOW CREATE VIEW is only supported for views, but '${e.name}' is a table.`, s.pos);
        return { kind: 'text', text: `CREATE ${e.temporary ? 'TEMPORARY ' : ''}VIEW \`default_catalog\`.\`default_database\`.\`${e.name}\`${e.columnNames ? ` (${e.columnNames.map((c) => `\`${c}\``).join(', ')})` : ''} AS\n${e.queryText}\n` };
      }
      case 'CURRENT CATALOG':
        return { kind: 'table', columns: ['current catalog name'], rows: [['default_catalog']] };
      case 'CURRENT DATABASE':
        return { kind: 'table', columns: ['current database name'], rows: [['default_database']] };
      case 'CATALOGS':
        return { kind: 'table', columns: ['catalog name'], rows: [['default_catalog']] };
      case 'DATABASES':
        return { kind: 'table', columns: ['database name'], rows: [['default_database']] };
      case 'COLUMNS':
        return this.describe({ type: 'describe', pos: s.pos, name: s.name! });
      default:
        throw new SqlNotSupportedError(`SHOW ${s.what}`, s.pos);
    }
  }

  private describe(s: Extract<Statement, { type: 'describe' }>): StatementResult {
    const e = this.catalog.lookup(s.name);
    const fn = this.functionContext();
    if (e.kind === 'view') {
      const rel = bindQuery(e.query, { catalog: this.catalog, fn, ctes: new Map(), expanding: new Set([e.name]) });
      return { kind: 'table', columns: ['name', 'type', 'null', 'key', 'extras', 'watermark'], rows: rel.fields.map((f, i) => [e.columnNames?.[i] ?? f.name, formatLogicalType({ ...f.type, nullable: true }).replace(/ \*(ROW|PROC)TIME\*/, ''), f.type.nullable ? 'TRUE' : 'FALSE', '', '', '']) };
    }
    if (e.kind === 'stream') {
      return { kind: 'table', columns: ['name', 'type', 'null', 'key', 'extras', 'watermark'], rows: e.rel.fields.map((f) => [f.name, formatLogicalType({ ...f.type, nullable: true }), f.type.nullable ? 'TRUE' : 'FALSE', '', '', '']) };
    }
    const pk = e.schema.primaryKey?.columns ?? [];
    const rows = e.schema.columns.map((c) => {
      const t = formatLogicalType({ ...c.type, nullable: true, timeAttribute: undefined }) + (c.type.timeAttribute === 'rowtime' ? ' *ROWTIME*' : c.type.timeAttribute === 'proctime' ? ' *PROCTIME*' : '');
      const extras = c.kind === 'computed' ? `AS ${c.expression}` : c.kind === 'metadata' ? `METADATA${c.metadataKey !== c.name ? ` FROM '${c.metadataKey}'` : ''}${c.virtual ? ' VIRTUAL' : ''}` : '';
      const wm = e.schema.watermarkSpecs.find((w) => w.rowtimeAttribute === c.name)?.expression ?? '';
      return [c.name, t, c.type.nullable ? 'TRUE' : 'FALSE', pk.includes(c.name) ? `PRI(${pk.join(', ')})` : '', extras, wm];
    });
    return { kind: 'table', columns: ['name', 'type', 'null', 'key', 'extras', 'watermark'], rows };
  }

  /** EXPLAIN [details] statement. */
  private async explain(s: Explain): Promise<string> {
    const inner = s.statement;
    if (inner.type !== 'insert' && inner.type !== 'statement-set' && inner.type !== 'query-statement') throw new SqlNotSupportedError(`EXPLAIN of ${inner.type.toUpperCase()} statements`, s.pos);
    for (const d of s.details) if (!['ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN', 'PLAN_ADVICE'].includes(d)) throw new SqlValidationError(`unknown EXPLAIN detail ${d}`, s.pos);
    const fn = this.functionContext();
    const job = bindJob(inner, this.catalog, fn);
    const prepared = await prepareJob(job, this.catalog, this.searchPath);
    const env = StreamExecutionEnvironment.create();
    env.configure(this.runtimeOptions());
    const { context } = translateJob(job, env, this.catalog, prepared, this.getConfig(), fn);
    const roots = job.select ? [job.select] : job.inserts.map((i) => i.rel);
    const sinks = job.select ? ['Collect'] : job.inserts.map((i) => `Sink(table=[default_catalog.default_database.${i.table.name}], fields=[${i.table.schema.columns.filter((c) => c.kind !== 'computed').map((c) => c.name).join(', ')}])`);
    const withModes = s.details.includes('CHANGELOG_MODE');
    let out = '== Abstract Syntax Tree ==\n';
    roots.forEach((r, i) => (out += `${i ? '\n' : ''}${explainRel(r, { types: false })}`));
    out += '\n== Optimized Physical Plan ==\n';
    roots.forEach((r, i) => {
      out += `${i ? '\n' : ''}${sinks[i]}${withModes && context.modes.get(r) ? `, changelogMode=${formatChangelogMode(context.modes.get(r)!)}` : ''}\n`;
      out += explainRel(r, { changelogModes: withModes ? context.modes : undefined, state: context.state }, '+- ', '   ');
    });
    out += '\n== Optimized Execution Plan ==\n';
    out += env.explain();
    if (s.details.includes('ESTIMATED_COST')) out += '\n(ESTIMATED_COST: Runnel has no cost model; the plan is chosen by rules)\n';
    if (s.details.includes('JSON_EXECUTION_PLAN')) out += `\n== Physical Execution Plan ==\n${JSON.stringify(env.getJobGraph(), (k, v: unknown) => (typeof v === 'function' || k === 'operatorFactory' ? undefined : typeof v === 'bigint' ? String(v) : v), 2)}\n`;
    return redactText(out, this.catalog);
  }

  /** The runtime options of the session (everything but `table.*`, `sql-client.*` and `pipeline.name`). @internal */
  runtimeOptions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.config) if (!k.startsWith('table.') && !k.startsWith('sql-client.') && k !== 'pipeline.name') out[k] = v;
    return out;
  }

  private async submit(parsed: ParsedStatement): Promise<StatementResult> {
    const s = parsed.statement as Extract<Statement, { type: 'insert' | 'statement-set' | 'query-statement' }>;
    const fn = this.functionContext();
    // Bind and prepare here first, so that errors are reported before anything starts.
    const job = bindJob(s, this.catalog, fn);
    await prepareJob(job, this.catalog, this.searchPath);
    const jobName = this.config.get('pipeline.name') ?? (job.select ? 'collect' : `insert-into_${job.inserts.map((i) => `default_catalog.default_database.${i.table.name}`).join(',')}`);
    const args: SqlJobArgs = { statements: [...this.history, parsed.text], config: this.getConfig(), pluginSearchPath: this.searchPath };
    let client: JobClient;
    try {
      client = await submitJob(JOB_MODULE, { args, options: this.runtimeOptions(), jobName });
    } catch (e) {
      throw explainStateLayoutRefusal(e);
    }
    return { kind: 'job', client, jobName, columns: job.select?.fields };
  }
}

/** Hides the values of secret options wherever they appear in plan text. */
function redactText(text: string, catalog: Catalog): string {
  let out = text;
  for (const name of catalog.names('table')) {
    const t = catalog.get(name);
    if (t?.kind !== 'table') continue;
    for (const [k, v] of Object.entries(t.options)) if (isSensitiveKey(k) && v.length > 0) out = out.split(v).join('******');
  }
  return out;
}
