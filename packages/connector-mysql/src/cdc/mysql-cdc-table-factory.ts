// The `mysql-cdc` SQL connector (Flink CDC's `MySqlTableSourceFactory`): a changelog table source (+I, -U, +U, -D)
// over the tables matching `database-name` / `table-name`. The table's physical columns are taken from each captured
// table by name (a column the MySQL table lacks reads as NULL); the metadata columns `database_name`, `table_name`,
// `op_ts` (TIMESTAMP_LTZ(3): the binlog event's time, 0 for snapshot rows) and `row_kind` follow, as requested.
import type { ConnectorContext, ConnectorFactory } from '@runnel/api/connector';
import { ConfigurationError } from '@runnel/api/config';
import {
  ALL_KINDS,
  physicalRowType,
  row,
  rowKindShortString,
  type ChangelogMode,
  type LogicalType,
  type Row,
  type RowKind,
  type ScanRequest,
  type TableFactoryContext,
  type TableSource,
} from '@runnel/api/table';
import type { ChangeMapper, CdcTableRef } from './binlog-stream.js';
import { MYSQL_CDC_OPTIONS, parseMySqlCdcOptions, type MySqlCdcSettings } from './mysql-cdc-options.js';
import { MySqlCdcSource, defaultCdcMapper } from './mysql-cdc-source.js';

/**
 * The metadata columns of a `mysql-cdc` table.
 *
 * @public
 */
export const MYSQL_CDC_READABLE_METADATA: Readonly<Record<string, LogicalType>> = {
  database_name: { root: 'VARCHAR', nullable: false, precision: 2147483647 },
  table_name: { root: 'VARCHAR', nullable: false, precision: 2147483647 },
  op_ts: { root: 'TIMESTAMP_LTZ', nullable: false, precision: 3 },
  row_kind: { root: 'VARCHAR', nullable: false, precision: 2147483647 },
};

/** The options of a table without `connector`. */
function ownOptions(all: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (k !== 'connector') own[k] = v;
  return own;
}

/**
 * A mapper producing the requested physical columns (by name) then the requested metadata.
 *
 * @public
 */
export function projectingCdcMapper(columns: readonly string[], metadataKeys: readonly string[]): ChangeMapper<Row> {
  const meta = metadataKeys.map((k) => {
    if (!Object.hasOwn(MYSQL_CDC_READABLE_METADATA, k)) {
      throw new ConfigurationError(`mysql-cdc: no metadata '${k}'; the connector has ${Object.keys(MYSQL_CDC_READABLE_METADATA).join(', ')}`);
    }
    return k;
  });
  // Per table: the positions of the requested columns, or null when they are the table's columns in order (the
  // fields array, which the mapper owns, is then the row's: no copy per row). The last table's plan is kept apart:
  // snapshot rows come table by table.
  const plans = new Map<string, Int32Array | null>();
  let lastTable: CdcTableRef | undefined;
  let lastPlan: Int32Array | null = null;
  const plan = (t: CdcTableRef): Int32Array | null => {
    if (t === lastTable) return lastPlan;
    let p = plans.get(t.id);
    if (p === undefined) {
      const names = t.table.columns.map((c) => c.name);
      const positions = Int32Array.from(columns.map((c) => names.indexOf(c)));
      p = positions.length === names.length && positions.every((x, i) => x === i) ? null : positions;
      plans.set(t.id, p);
    }
    lastTable = t;
    lastPlan = p;
    return p;
  };
  const metaValue = (k: string, kind: RowKind, t: CdcTableRef, opTs: number): unknown =>
    k === 'database_name' ? t.table.database : k === 'table_name' ? t.table.table : k === 'op_ts' ? opTs : rowKindShortString(kind);
  return (kind, t, fields, opTs) => {
    const p = plan(t);
    if (p === null) {
      for (let j = 0; j < meta.length; j++) fields.push(metaValue(meta[j]!, kind, t, opTs));
      return row(kind, fields);
    }
    const out = new Array<unknown>(p.length + meta.length);
    for (let i = 0; i < p.length; i++) out[i] = p[i]! < 0 ? null : fields[p[i]!];
    for (let j = 0; j < meta.length; j++) out[p.length + j] = metaValue(meta[j]!, kind, t, opTs);
    return row(kind, out);
  };
}

/**
 * The table source of a `mysql-cdc` table.
 *
 * @public
 */
export class MySqlCdcTableSource implements TableSource {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  readonly readableMetadata = MYSQL_CDC_READABLE_METADATA;
  readonly bounded = false;
  readonly settings: MySqlCdcSettings;

  constructor(private readonly context: TableFactoryContext) {
    this.settings = parseMySqlCdcOptions(ownOptions(context.options), `mysql-cdc table '${context.tableName}'`);
  }

  createSource(request: ScanRequest): MySqlCdcSource<Row> {
    const names = request.physicalType.fields.map((f) => f.name);
    return new MySqlCdcSource<Row>({ ...this.settings, mapper: projectingCdcMapper(names, request.metadataKeys) });
  }

  summary(): string {
    const s = this.settings;
    const cols = physicalRowType(this.context.schema).fields.map((f) => f.name).join(', ');
    return `mysql-cdc(${s.hostname}:${s.port}, database-name=${s.databaseName}, table-name=${s.tableName}, startup=${s.startup.mode}, chunk.size=${s.chunkSize}${s.serverTimeZone ? `, server-time-zone=${s.serverTimeZone}` : ''}, columns=[${cols}])`;
  }
}

/**
 * The `mysql-cdc` connector factory.
 *
 * @public
 */
export const mysqlCdcConnectorFactory: ConnectorFactory = {
  identifier: 'mysql-cdc',
  apiVersion: '^0.1.0',
  options: MYSQL_CDC_OPTIONS,
  createSource(context: ConnectorContext): MySqlCdcSource<Row> {
    return new MySqlCdcSource<Row>({ ...parseMySqlCdcOptions(ownOptions(context.options), `mysql-cdc '${context.name}'`), mapper: defaultCdcMapper });
  },
  createTableSource(context: TableFactoryContext): TableSource {
    return new MySqlCdcTableSource(context);
  },
};
