// The relational plan (Calcite's RelNode, as Flink's streaming physical plan): what a query computes, operator by
// operator, with the output fields of each. The binder builds it from the syntax tree; the changelog pass
// annotates each node with what it produces; the translator turns it into DataStream transformations.
import type { LogicalType } from '@runnel/api/table';
import type { ResolvedAggregate } from '../aggregates/aggregate-definition.js';
import type { CatalogTable } from '../catalog/catalog.js';
import type { Rex } from './rex.js';

/** An output field of a plan node. @internal */
export interface Field {
  readonly name: string;
  readonly type: LogicalType;
}

/**
 * Reads a table. The connector produces the raw row (the requested physical columns, then the metadata columns);
 * `projects` compute the table's columns in declaration order from it (computed columns included), and the
 * watermark is generated per split from the output row.
 *
 * @internal
 */
export interface ScanRel {
  readonly kind: 'scan';
  readonly table: CatalogTable;
  readonly fields: readonly Field[];
  /** Physical columns read, as indexes into the schema's physical columns. */
  readonly physical: readonly number[];
  readonly metadataKeys: readonly string[];
  /** The raw row's fields (physical, then metadata). */
  readonly rawFields: readonly Field[];
  /** The table's columns, over the raw row. */
  readonly projects: readonly Rex[];
  /** The rowtime field (an index into `fields`) and the watermark expression over the output row. */
  readonly watermark?: { readonly rowtime: number; readonly expr: Rex };
  /** The table's options with `/*+ OPTIONS(...) *\/` hints applied. */
  readonly options: Readonly<Record<string, string>>;
}

/** Projection and filter. @internal */
export interface CalcRel {
  readonly kind: 'calc';
  readonly input: Rel;
  readonly projects: readonly Rex[];
  readonly condition?: Rex;
  readonly fields: readonly Field[];
}

/** Constant rows (`VALUES`, or a SELECT without FROM). @internal */
export interface ValuesRel {
  readonly kind: 'values';
  readonly rows: readonly (readonly unknown[])[];
  readonly fields: readonly Field[];
}

/** UNION ALL. @internal */
export interface UnionRel {
  readonly kind: 'union';
  readonly inputs: readonly Rel[];
  readonly fields: readonly Field[];
}

/** An aggregate call: the resolved function, its argument fields, an optional filter field. @internal */
export interface AggCall {
  readonly name: string;
  readonly agg: ResolvedAggregate;
  readonly args: readonly number[];
  readonly distinct: boolean;
  /** A BOOLEAN field: only rows where it is TRUE are aggregated (`FILTER (WHERE ...)`). */
  readonly filter?: number;
  readonly type: LogicalType;
}

/** Unbounded group aggregation (`GROUP BY k`): output fields are the keys, then the aggregates. @internal */
export interface AggregateRel {
  readonly kind: 'aggregate';
  readonly input: Rel;
  readonly groupKeys: readonly number[];
  /** GROUPING SETS as subsets of `groupKeys` positions; absent for a plain GROUP BY. */
  readonly groupingSets?: readonly (readonly number[])[];
  readonly aggs: readonly AggCall[];
  readonly fields: readonly Field[];
}

/** A window: TUMBLE, HOP, CUMULATE or SESSION over a time attribute. Sizes in milliseconds. @internal */
export interface WindowSpec {
  readonly kind: 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';
  /** The time attribute (index into the input of the node that uses the spec). */
  readonly timeField: number;
  readonly eventTime: boolean;
  readonly size: number;
  /** HOP's slide. */
  readonly slide?: number;
  /** CUMULATE's step. */
  readonly step?: number;
  readonly offset: number;
  /** SESSION's gap. */
  readonly gap?: number;
  /** The type of window_start/window_end: TIMESTAMP(3) or TIMESTAMP_LTZ(3) as the time attribute. */
  readonly timeType: LogicalType;
}

/**
 * Window aggregation: output fields are the group keys, then window_start, window_end, window_time, then the
 * aggregates. Fires once per window when the watermark passes its end (insert-only output).
 *
 * @internal
 */
export interface WindowAggregateRel {
  readonly kind: 'window-aggregate';
  readonly input: Rel;
  readonly window: WindowSpec;
  readonly groupKeys: readonly number[];
  readonly groupingSets?: readonly (readonly number[])[];
  readonly aggs: readonly AggCall[];
  readonly fields: readonly Field[];
}

/** A window TVF on its own: the input rows with window_start, window_end, window_time appended. @internal */
export interface WindowTableRel {
  readonly kind: 'window-table';
  readonly input: Rel;
  readonly window: WindowSpec;
  readonly fields: readonly Field[];
}

/** ORDER BY ... [LIMIT] (bounded input, or ORDER BY a time attribute ascending). @internal */
export interface SortRel {
  readonly kind: 'sort';
  readonly input: Rel;
  readonly keys: readonly { readonly field: number; readonly desc: boolean; readonly nullsFirst: boolean }[];
  readonly limit?: number;
  readonly offset: number;
  readonly fields: readonly Field[];
}

/**
 * OVER aggregation (`SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT
 * ROW)`): every input row, with the aggregates over its frame appended. Output fields: the input's, then the
 * aggregates.
 *
 * @internal
 */
export interface OverAggregateRel {
  readonly kind: 'over-aggregate';
  readonly input: Rel;
  readonly partitionKeys: readonly number[];
  /** The time attribute the rows are ordered by (ascending). */
  readonly orderField: number;
  readonly eventTime: boolean;
  readonly unit: 'ROWS' | 'RANGE';
  /** Rows (ROWS) or milliseconds (RANGE) preceding the current row; Infinity for UNBOUNDED PRECEDING. */
  readonly preceding: number;
  readonly aggs: readonly AggCall[];
  readonly fields: readonly Field[];
}

/** Rows of a DataStream registered as a table (Table API `fromDataStream`). @internal */
export interface StreamRel {
  readonly kind: 'stream';
  readonly name: string;
  /** The stream of rows (`Row`), typed loosely so that plans need not import the runtime. */
  readonly stream: unknown;
  readonly fields: readonly Field[];
  readonly insertOnly: boolean;
}

/** @internal */
export type Rel = ScanRel | CalcRel | ValuesRel | UnionRel | AggregateRel | WindowAggregateRel | WindowTableRel | SortRel | OverAggregateRel | StreamRel;

/** The inputs of a node. @internal */
export function inputsOfRel(rel: Rel): readonly Rel[] {
  switch (rel.kind) {
    case 'scan':
    case 'values':
    case 'stream':
      return [];
    case 'union':
      return rel.inputs;
    default:
      return [rel.input];
  }
}
