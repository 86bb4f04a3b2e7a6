// What translating a plan into a dataflow needs, and what each translated node yields: its stream, the changelog it
// carries and (for updating streams) the key its updates refer to.
import type { ChangelogMode, Row } from '@runnel/api/table';
import type { DataStream, StreamExecutionEnvironment } from '@runnel/runtime';
import type { Catalog } from '../catalog/catalog.js';
import type { PreparedTable } from '../connectors/prepared-table.js';
import type { FunctionContext } from '../functions/function-definition.js';
import type { Rel } from '../plan/rel.js';
import type { ScanUses } from './projection-pushdown.js';

/** @internal */
export interface TranslateContext {
  readonly env: StreamExecutionEnvironment;
  readonly catalog: Catalog;
  /** Prepared connectors and formats, by table name. */
  readonly prepared: ReadonlyMap<string, PreparedTable>;
  readonly config: Readonly<Record<string, string>>;
  readonly fn: FunctionContext;
  /** Translated nodes (a plan node used twice, e.g. a WITH query, is translated once). */
  readonly done: Map<Rel, Translated>;
  /** Changelog mode and state of each node, for EXPLAIN. */
  readonly modes: Map<Rel, ChangelogMode>;
  readonly state: Map<Rel, string>;
  /** Uids handed out, to number equal subtrees (the same table scanned twice) in translation order. */
  readonly uids: Map<string, number>;
  /** What the job reads of each scan, when every reader is known before translation (projection-pushdown.ts). */
  readonly scanUses?: ScanUses;
  /** Translates an input (set by the first call of `translate`: the translation passes recurse through it). */
  translate?: (rel: Rel) => Translated;
}

/** @internal */
export interface Translated {
  readonly stream: DataStream<Row>;
  readonly mode: ChangelogMode;
  /** Fields that identify the row an update or delete refers to. */
  readonly upsertKey?: readonly number[];
  /** Whether the stream ends (all its sources are bounded); set by `translate`. */
  readonly bounded?: boolean;
}
