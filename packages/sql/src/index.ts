// `@runnel/sql`: Flink SQL for Runnel: parser, catalog, planner, SQL operators, the SQL session behind `runnel sql`
// and the Table API.
export { SqlSession } from './session/sql-session.js';
export type { SqlSessionOptions } from './session/sql-session.js';
export type { StatementResult } from './session/statement-result.js';
export { TableauPrinter } from './session/tableau.js';
export { MaterializedResult } from './session/materialized-result.js';
export { TableOptions, TABLE_OPTIONS } from './session/table-options.js';
export { isSensitiveKey } from './session/sensitive-keys.js';
export { SqlValidationError, SqlNotSupportedError } from './validation-error.js';
export { SqlParseError, SqlUnsupportedError } from './parser/parse-error.js';
export { parseScript } from './parser/parser.js';
export type { ParsedStatement, Statement, Pos } from './parser/ast.js';
export { StreamTableEnvironment } from './table-api/table-environment.js';
export type { Table, StreamColumn } from './table-api/table-environment.js';
