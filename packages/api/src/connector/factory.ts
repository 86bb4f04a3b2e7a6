// Connector factories make connectors discoverable by identifier (`'connector' = 'kafka'` in SQL DDL), declare
// the `@runnel/api` versions they were built for, and describe their options as data (`@runnel/api/config`
// declarations): they validate user input, document the connector and drive the dashboard's forms. Keys follow Flink's style: lower-case,
// hyphenated, hierarchical (`scan.startup.mode`), so Flink DDL ports unchanged.
import type { Source } from './source.js';
import type { Sink } from './sink.js';
import type { OptionSet } from '../config/option-declaration.js';
import type { TableFactoryContext, TableSink, TableSource } from '../table/table-factory.js';

/**
 * A column as the planner hands it to a factory.
 *
 * @public
 */
export interface ColumnSpec {
  readonly name: string;
  /** The Flink SQL type, e.g. `BIGINT`, `VARCHAR(10)`, `TIMESTAMP(3)`. */
  readonly type: string;
  readonly nullable: boolean;
}

/**
 * What a factory receives to create a connector instance.
 *
 * @public
 */
export interface ConnectorContext {
  /** The table (or job element) name, for error messages. */
  readonly name: string;
  /**
   * The table's options as text (SQL `WITH (...)`), without `connector` itself. The factory parses them against
   * its declarations (`parseOptions` of `@runnel/api/config`), which rejects unknown keys and bad values.
   */
  readonly options: Readonly<Record<string, string>>;
  /** The physical columns, when created from SQL. */
  readonly columns?: readonly ColumnSpec[];
  readonly primaryKey?: readonly string[];
}

/**
 * Looks up rows by key (lookup joins).
 *
 * @public
 */
export interface LookupSource<K, V> {
  open(): void | Promise<void>;
  lookup(keys: readonly K[]): Promise<ReadonlyArray<readonly V[]>>;
  /** Idempotent. */
  close(): void | Promise<void>;
}

/**
 * A connector factory, published by connector packages.
 *
 * @public
 */
export interface ConnectorFactory {
  /** The value of the `connector` option, e.g. `kafka`, `mysql-cdc`. */
  readonly identifier: string;
  /** The semver range of `@runnel/api` this factory was built for, e.g. `^0.1.0`. */
  readonly apiVersion: string;
  /** The options the connector accepts, declared as data (they document it and validate its tables). */
  readonly options: OptionSet;
  createSource?(context: ConnectorContext): Source<unknown, any, any>;
  createSink?(context: ConnectorContext): Sink<unknown, any, any>;
  createLookupSource?(context: ConnectorContext): LookupSource<unknown, unknown>;
  /** The source of a SQL table (`CREATE TABLE ... WITH ('connector' = ...)`). */
  createTableSource?(context: TableFactoryContext): TableSource;
  /** The sink of a SQL table. */
  createTableSink?(context: TableFactoryContext): TableSink;
}
