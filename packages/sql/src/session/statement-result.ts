// What executing one statement gives the SQL client or the Table API: a message, a small table (SHOW, DESCRIBE,
// EXPLAIN, SET), or a running job (INSERT, SELECT) with the columns of the SELECT's rows.
import type { JobClient } from '@runnel/runtime';
import type { Field } from '../plan/rel.js';

/** The result of one statement: a message, a small table, text (EXPLAIN, SHOW CREATE), or a running job. @public */
export type StatementResult =
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'job';
      readonly client: JobClient;
      readonly jobName: string;
      /** The SELECT's columns, when the job is a SELECT (its rows arrive on the collect channel `sql-select`). */
      readonly columns?: readonly { readonly name: string; readonly type: Field['type'] }[];
    };
