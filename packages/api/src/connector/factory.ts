// Connector factories make connectors discoverable by identifier (`'connector' = 'kafka'` in SQL DDL), declare
// the `@runnel/api` versions they were built for, and describe their options as data: the option schema validates
// user input, documents the connector and drives the dashboard's forms. Keys follow Flink's style: lower-case,
// hyphenated, hierarchical (`scan.startup.mode`), so Flink DDL ports unchanged.
import type { Source } from './source.js';
import type { Sink } from './sink.js';

/** @public */
export type OptionType = 'string' | 'int' | 'double' | 'boolean' | 'duration' | 'memory-size' | 'enum' | 'list' | 'map';

/**
 * One option of a connector.
 *
 * @public
 */
export interface OptionSpec {
  readonly key: string;
  readonly type: OptionType;
  readonly description: string;
  readonly required?: boolean;
  readonly defaultValue?: string;
  /** For `enum` options. */
  readonly enumValues?: readonly string[];
  /** Secrets (passwords, tokens): redacted in logs, REST responses and the dashboard. */
  readonly sensitive?: boolean;
  /** Older keys still accepted for this option. */
  readonly deprecatedKeys?: readonly string[];
  /** Option prefix that accepts any suffix (e.g. `properties.` passes through to the driver). */
  readonly prefix?: boolean;
}

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
  /** Validated options, keyed by their canonical keys. */
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
  readonly options: readonly OptionSpec[];
  createSource?(context: ConnectorContext): Source<unknown, any, any>;
  createSink?(context: ConnectorContext): Sink<unknown, any, any>;
  createLookupSource?(context: ConnectorContext): LookupSource<unknown, unknown>;
}
