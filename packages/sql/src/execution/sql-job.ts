// The job module of SQL jobs: every worker (and the client, to plan slots) replays the session's statements into a
// fresh session and plans the last one, the job statement, into its environment. Planning is deterministic, so all
// of them build the same graph with the same operator uids.
import { defineJob, type StreamExecutionEnvironment } from '@runnel/runtime';
import { parseScript } from '../parser/parser.js';
import { SqlSession, type SqlJobArgs } from '../session/sql-session.js';
import { bindJob, prepareJob, translateJob } from '../session/plan-job.js';
import type { Insert, QueryStatement, StatementSet } from '../parser/ast.js';

/** @internal */
export async function buildSqlJob(env: StreamExecutionEnvironment, args: SqlJobArgs): Promise<void> {
  const session = new SqlSession({ config: args.config, pluginSearchPath: args.pluginSearchPath });
  const statements = args.statements.flatMap((t) => parseScript(t));
  const last = statements.pop();
  if (!last) throw new Error('SQL job without statements');
  for (const s of statements) await session.execute(s);
  const fn = session.functionContext();
  const job = bindJob(last.statement as Insert | StatementSet | QueryStatement, session.catalog, fn);
  const prepared = await prepareJob(job, session.catalog, args.pluginSearchPath);
  translateJob(job, env, session.catalog, prepared, session.getConfig(), fn);
}

/** @internal */
export default defineJob<SqlJobArgs>(buildSqlJob);
