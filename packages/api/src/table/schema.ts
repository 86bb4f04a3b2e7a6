// The resolved schema of a table as the planner hands it to connectors (Flink's `ResolvedSchema`): physical,
// computed and metadata columns with their types, the primary key and the watermark. Expressions (computed
// columns, watermarks) are kept as SQL text: the planner evaluates them, connectors only see what they produce.
import { rowType, type LogicalType, type RowType } from './logical-type.js';

/**
 * A column stored in the external system.
 *
 * @public
 */
export interface PhysicalColumn {
  readonly kind: 'physical';
  readonly name: string;
  readonly type: LogicalType;
  readonly comment?: string;
}

/**
 * A column computed from others (`cost AS price * quantity`); not read from or written to the connector.
 *
 * @public
 */
export interface ComputedColumn {
  readonly kind: 'computed';
  readonly name: string;
  readonly type: LogicalType;
  /** The SQL expression, as written. */
  readonly expression: string;
}

/**
 * A column read from (and, unless virtual, written to) the connector's metadata (`ts TIMESTAMP(3) METADATA FROM
 * 'timestamp'`).
 *
 * @public
 */
export interface MetadataColumn {
  readonly kind: 'metadata';
  readonly name: string;
  readonly type: LogicalType;
  /** The connector's metadata key; the column name when no `FROM` is given. */
  readonly metadataKey: string;
  /** `VIRTUAL`: read only, not part of the sink's rows. */
  readonly virtual: boolean;
}

/** @public */
export type Column = PhysicalColumn | ComputedColumn | MetadataColumn;

/**
 * `WATERMARK FOR rowtime AS expression`.
 *
 * @public
 */
export interface WatermarkSpec {
  readonly rowtimeAttribute: string;
  readonly expression: string;
}

/**
 * `PRIMARY KEY (...) NOT ENFORCED`.
 *
 * @public
 */
export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

/**
 * A table's resolved schema.
 *
 * @public
 */
export interface ResolvedSchema {
  readonly columns: readonly Column[];
  readonly watermarkSpecs: readonly WatermarkSpec[];
  readonly primaryKey?: PrimaryKey;
}

/**
 * The ROW type of the physical columns, in declaration order: what a connector reads and writes (metadata aside).
 *
 * @public
 */
export function physicalRowType(schema: ResolvedSchema): RowType {
  return rowType(schema.columns.filter((c) => c.kind === 'physical').map((c) => ({ name: c.name, type: c.type })));
}
