// The syntax tree of Flink SQL as Runnel parses it. Every node carries the position of its first token (1-based line
// and column), so that the binder and planner can point at the text when they reject something. The tree is close
// to the text (no types, names unresolved): binding to the catalog happens in `../binder`.

/** A position in the script: 1-based line and column, and the 0-based offset. @public */
export interface Pos {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** 0-based offset in the text. */
  readonly offset: number;
}

/** A possibly qualified name (`cat.db.tbl`, `t.col`); parts are unquoted, case kept as written. @public */
export interface QualifiedName {
  readonly parts: readonly string[];
  readonly pos: Pos;
}

// ---------------------------------------------------------------- types

/** A type as written: `DECIMAL(10, 2)`, `ARRAY<INT>`, `ROW<a INT, b STRING>`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`. @public */
export interface TypeSpec {
  readonly pos: Pos;
  /**
   * Canonical upper-case name: BOOLEAN, TINYINT, SMALLINT, INT (INTEGER), BIGINT, FLOAT, DOUBLE (DOUBLE PRECISION),
   * DECIMAL (DEC, NUMERIC), CHAR, VARCHAR, STRING, BINARY, VARBINARY, BYTES, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ
   * (also `TIMESTAMP(p) WITH LOCAL TIME ZONE`), INTERVAL, ARRAY, MULTISET, MAP, ROW, RAW, NULL, or anything else
   * the user wrote (the binder rejects unknown names).
   */
  readonly name: string;
  readonly params: readonly number[];
  readonly notNull: boolean;
  /** ARRAY/MULTISET element, MAP value. */
  readonly element?: TypeSpec;
  /** MAP key. */
  readonly key?: TypeSpec;
  /** ROW fields. */
  readonly fields?: readonly { name: string; type: TypeSpec; description?: string }[];
  /** INTERVAL qualifier, e.g. `DAY TO SECOND`, `YEAR`, `MONTH`: start and optional end unit (upper case). */
  readonly intervalFrom?: string;
  readonly intervalTo?: string;
  /** RAW's string parameters: `RAW('class', 'serializer snapshot')`. */
  readonly rawParams?: readonly string[];
}

// ---------------------------------------------------------------- expressions

/** @public */
export type Expr =
  | LiteralExpr
  | IntervalLiteral
  | ColumnRef
  | StarExpr
  | UnaryExpr
  | BinaryExpr
  | FuncCall
  | CaseExpr
  | CastExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | IsExpr
  | ExtractExpr
  | ArrayCtor
  | MapCtor
  | RowCtor
  | SubscriptExpr
  | FieldAccess
  | ParamExpr
  | ScalarSubquery
  | ExistsExpr;

/**
 * A literal. `kind` says how it was written: `number` keeps the text (exact: `1.5` is a DECIMAL, `1e3` a DOUBLE,
 * `7` an INT or BIGINT depending on size), `string` ('...' with '' unescaped), `binary` (X'0aff'), `bool`, `null`,
 * `date`/`time`/`timestamp`/`timestamp_ltz` (DATE '2020-01-01' ..., text kept).
 * @public
 */
export interface LiteralExpr {
  readonly type: 'literal';
  readonly pos: Pos;
  readonly kind: 'number' | 'string' | 'binary' | 'bool' | 'null' | 'date' | 'time' | 'timestamp' | 'timestamp_ltz';
  readonly text: string;
}

/** `INTERVAL '5' SECOND`, `INTERVAL '1:30' HOUR TO MINUTE`, `INTERVAL '2' DAY(3)`; sign applies to the value. @public */
export interface IntervalLiteral {
  readonly type: 'interval';
  readonly pos: Pos;
  readonly text: string;
  readonly negative: boolean;
  /** Upper-case unit: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND (plural forms normalised). */
  readonly from: string;
  readonly to?: string;
}

/** A (possibly qualified) column name. @public */
export interface ColumnRef {
  readonly type: 'column';
  readonly pos: Pos;
  readonly name: QualifiedName;
}

/** `*` or `t.*` (in a select list or COUNT(*)). @public */
export interface StarExpr {
  readonly type: 'star';
  readonly pos: Pos;
  readonly qualifier?: QualifiedName;
}

/** `-x`, `+x`, `NOT x`. @public */
export interface UnaryExpr {
  readonly type: 'unary';
  readonly pos: Pos;
  readonly op: '-' | '+' | 'NOT';
  readonly operand: Expr;
}

/** Binary operators; `op` upper case for words. @public */
export interface BinaryExpr {
  readonly type: 'binary';
  readonly pos: Pos;
  readonly op: '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';
  readonly left: Expr;
  readonly right: Expr;
}

/**
 * A function call: `UPPER(x)`, `COUNT(*)`, `COUNT(DISTINCT x)`, `SUM(x) FILTER (WHERE ...)`, `ROW_NUMBER() OVER (...)`,
 * `LISTAGG(x, ',')`, also the special forms the parser turns into calls: `SUBSTRING(s FROM 2 FOR 3)` (args s, 2, 3),
 * `POSITION(a IN b)` (args a, b), `TRIM([BOTH|LEADING|TRAILING] [c] FROM s)` (name TRIM, `trim` set, args: s[, c]),
 * `OVERLAY(s PLACING r FROM n [FOR l])`, `FLOOR(x TO unit)`/`CEIL(x TO unit)` (`timeUnit` set),
 * `TIMESTAMPADD(unit, n, t)`/`TIMESTAMPDIFF(unit, a, b)` (`timeUnit` set, args without the unit),
 * `CURRENT_TIMESTAMP`, `LOCALTIMESTAMP`, `CURRENT_DATE`, ... without parentheses (args empty, `noParens`).
 * `name` is upper case, unqualified names as written are kept in `qualifiedName`.
 * @public
 */
export interface FuncCall {
  readonly type: 'call';
  readonly pos: Pos;
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct?: boolean;
  readonly filter?: Expr;
  readonly over?: WindowSpec;
  readonly timeUnit?: string;
  readonly trim?: 'BOTH' | 'LEADING' | 'TRAILING';
  readonly noParens?: boolean;
  /** `WITHIN GROUP (ORDER BY ...)`, when written. */
  readonly withinGroup?: readonly OrderItem[];
  /** `IGNORE NULLS` / `RESPECT NULLS`. */
  readonly nullTreatment?: 'IGNORE' | 'RESPECT';
  /** The function's name as written (parts unquoted, case kept): `my_udf`, `cat.db.my_udf`. */
  readonly qualifiedName?: QualifiedName;
  /** Named arguments (`f(a => 1, b => 2)`): the upper-case name of each argument, in the order of `args`. */
  readonly argNames?: readonly string[];
}

/** `OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ...)` or `OVER w`. @public */
export interface WindowSpec {
  readonly pos: Pos;
  /** `OVER w`: the name of a window of the WINDOW clause. */
  readonly ref?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame;
}

/** @public */
export interface WindowFrame {
  readonly pos: Pos;
  readonly unit: 'ROWS' | 'RANGE';
  readonly start: FrameBound;
  /** Absent when written `ROWS <bound>` (then the end is CURRENT ROW). */
  readonly end?: FrameBound;
}

/** @public */
export interface FrameBound {
  readonly kind: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  /** The offset of `n PRECEDING` / `n FOLLOWING` (a number or an interval literal). */
  readonly offset?: Expr;
}

/** `CASE [operand] WHEN ... THEN ... [ELSE ...] END`. @public */
export interface CaseExpr {
  readonly type: 'case';
  readonly pos: Pos;
  readonly operand?: Expr;
  readonly whens: readonly { when: Expr; then: Expr }[];
  readonly else?: Expr;
}

/** `CAST(x AS t)`, `TRY_CAST(x AS t)`, also `x::t` is not Flink and is a parse error. @public */
export interface CastExpr {
  readonly type: 'cast';
  readonly pos: Pos;
  readonly try: boolean;
  readonly operand: Expr;
  readonly target: TypeSpec;
}

/** `x [NOT] IN (a, b, ...)` or `x [NOT] IN (SELECT ...)`. @public */
export interface InExpr {
  readonly type: 'in';
  readonly pos: Pos;
  readonly operand: Expr;
  readonly not: boolean;
  readonly list?: readonly Expr[];
  readonly query?: Query;
}

/** `x [NOT] BETWEEN [SYMMETRIC] a AND b`. @public */
export interface BetweenExpr {
  readonly type: 'between';
  readonly pos: Pos;
  readonly operand: Expr;
  readonly not: boolean;
  readonly symmetric: boolean;
  readonly low: Expr;
  readonly high: Expr;
}

/** `x [NOT] LIKE p [ESCAPE e]`, `x [NOT] SIMILAR TO p [ESCAPE e]`. @public */
export interface LikeExpr {
  readonly type: 'like';
  readonly pos: Pos;
  readonly op: 'LIKE' | 'SIMILAR TO';
  readonly operand: Expr;
  readonly not: boolean;
  readonly pattern: Expr;
  readonly escape?: Expr;
}

/** `x IS [NOT] NULL|TRUE|FALSE|UNKNOWN`. @public */
export interface IsExpr {
  readonly type: 'is';
  readonly pos: Pos;
  readonly operand: Expr;
  readonly not: boolean;
  readonly what: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
}

/** `EXTRACT(unit FROM x)`. @public */
export interface ExtractExpr {
  readonly type: 'extract';
  readonly pos: Pos;
  readonly unit: string;
  readonly operand: Expr;
}

/** `ARRAY[a, b]`. @public */
export interface ArrayCtor {
  readonly type: 'array';
  readonly pos: Pos;
  readonly items: readonly Expr[];
}

/** `MAP[k1, v1, k2, v2]`. @public */
export interface MapCtor {
  readonly type: 'map';
  readonly pos: Pos;
  readonly items: readonly Expr[];
}

/** `ROW(a, b)` or `(a, b)` in a value context. @public */
export interface RowCtor {
  readonly type: 'row';
  readonly pos: Pos;
  readonly items: readonly Expr[];
}

/** `a[i]`, `m['k']`. @public */
export interface SubscriptExpr {
  readonly type: 'subscript';
  readonly pos: Pos;
  readonly operand: Expr;
  readonly index: Expr;
}

/** `(expr).field` on a ROW value (a qualified ColumnRef covers `t.col.field`). @public */
export interface FieldAccess {
  readonly type: 'field';
  readonly pos: Pos;
  readonly operand: Expr;
  readonly field: string;
}

/** `?` (not supported by the planner; parsed to say so). @public */
export interface ParamExpr {
  readonly type: 'param';
  readonly pos: Pos;
}

/** `(SELECT ...)` used as a value: a scalar subquery. @public */
export interface ScalarSubquery {
  readonly type: 'scalar-subquery';
  readonly pos: Pos;
  readonly query: Query;
}

/** `EXISTS (SELECT ...)` (`NOT EXISTS` is a `NOT` around it). @public */
export interface ExistsExpr {
  readonly type: 'exists';
  readonly pos: Pos;
  readonly query: Query;
}

// ---------------------------------------------------------------- queries

/** @public */
export interface OrderItem {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nullsFirst?: boolean;
}

/** A query: a SELECT, a set operation or VALUES, with optional WITH, ORDER BY, LIMIT/FETCH, OFFSET. @public */
export interface Query {
  readonly type: 'query';
  readonly pos: Pos;
  readonly with?: readonly { name: string; columns?: readonly string[]; query: Query; pos: Pos }[];
  readonly body: QueryBody;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

/** @public */
export type QueryBody = Select | SetOp | ValuesBody | Query;

/** `UNION [ALL]`, `INTERSECT [ALL]`, `EXCEPT [ALL]` (MINUS is EXCEPT). @public */
export interface SetOp {
  readonly type: 'setop';
  readonly pos: Pos;
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
}

/** `VALUES (1, 'a'), (2, 'b')`. @public */
export interface ValuesBody {
  readonly type: 'values';
  readonly pos: Pos;
  readonly rows: readonly (readonly Expr[])[];
}

/** @public */
export interface SelectItem {
  readonly pos: Pos;
  readonly expr: Expr;
  readonly alias?: string;
}

/** @public */
export interface Select {
  readonly type: 'select';
  readonly pos: Pos;
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from?: FromItem;
  readonly where?: Expr;
  readonly groupBy?: readonly GroupingElement[];
  readonly having?: Expr;
  /** `WINDOW w AS (...)`. */
  readonly windows?: readonly { name: string; spec: WindowSpec }[];
  /** Query hints: `SELECT /*+ BROADCAST(t) *\/ ...`. */
  readonly hints?: TableRef['hints'];
}

/** A GROUP BY element: an expression, `GROUPING SETS ((a, b), (a), ())`, `ROLLUP (a, b)`, `CUBE (a, b)`. @public */
export type GroupingElement =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'grouping-sets'; readonly pos: Pos; readonly sets: readonly (readonly Expr[])[] }
  | { readonly kind: 'rollup' | 'cube'; readonly pos: Pos; readonly exprs: readonly Expr[] };

/** @public */
export type FromItem = TableRef | SubqueryRef | TvfRef | JoinRef | UnnestRef;

/**
 * A table or view name, with optional alias and column aliases, hints (`/*+ OPTIONS('k'='v') *\/`) and
 * `FOR SYSTEM_TIME AS OF expr`.
 * @public
 */
export interface TableRef {
  readonly type: 'table';
  readonly pos: Pos;
  readonly name: QualifiedName;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  readonly hints?: readonly { name: string; options: Readonly<Record<string, string>> | readonly string[] }[];
  readonly forSystemTime?: Expr;
}

/** `(SELECT ...) [AS] alias`, `LATERAL (SELECT ...)`. @public */
export interface SubqueryRef {
  readonly type: 'subquery';
  readonly pos: Pos;
  readonly query: Query;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  readonly lateral: boolean;
}

/**
 * A table-valued function in FROM: `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '5' MINUTES))`, also with named
 * arguments (`DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL ...`) and `LATERAL TABLE(f(x))`.
 * @public
 */
export interface TvfRef {
  readonly type: 'tvf';
  readonly pos: Pos;
  /** Upper-case function name. */
  readonly name: string;
  readonly args: readonly TvfArg[];
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
  readonly lateral: boolean;
}

/** @public */
export interface TvfArg {
  readonly pos: Pos;
  /** `NAME => ...`, upper case. */
  readonly name?: string;
  readonly value:
    | { readonly kind: 'table'; readonly table: QualifiedName }
    | { readonly kind: 'query'; readonly query: Query }
    | { readonly kind: 'descriptor'; readonly columns: readonly string[] }
    | { readonly kind: 'expr'; readonly expr: Expr };
  /** `PARTITION BY` of a table argument (SESSION windows). */
  readonly partitionBy?: readonly Expr[];
}

/** @public */
export interface JoinRef {
  readonly type: 'join';
  readonly pos: Pos;
  readonly kind: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on?: Expr;
  readonly using?: readonly string[];
  /** Comma join `FROM a, b` (kind CROSS). */
  readonly comma?: boolean;
}

/** `CROSS JOIN UNNEST(arr) AS t(x)`. @public */
export interface UnnestRef {
  readonly type: 'unnest';
  readonly pos: Pos;
  readonly args: readonly Expr[];
  readonly withOrdinality: boolean;
  readonly alias?: string;
  readonly columnAliases?: readonly string[];
}

// ---------------------------------------------------------------- statements

/** A column definition of CREATE TABLE. @public */
export type ColumnDef =
  | { readonly kind: 'physical'; readonly pos: Pos; readonly name: string; readonly dataType: TypeSpec; readonly comment?: string; readonly primaryKey?: boolean }
  | { readonly kind: 'computed'; readonly pos: Pos; readonly name: string; readonly expr: Expr; readonly exprText: string; readonly comment?: string }
  | {
      readonly kind: 'metadata';
      readonly pos: Pos;
      readonly name: string;
      readonly dataType: TypeSpec;
      readonly from?: string;
      readonly virtual: boolean;
      readonly comment?: string;
    };

/** @public */
export interface CreateTable {
  readonly type: 'create-table';
  readonly pos: Pos;
  readonly name: QualifiedName;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  /** `CREATE OR REPLACE TABLE ... AS SELECT` (with `asQuery`). */
  readonly orReplace?: boolean;
  /** `WATERMARK FOR col AS expr`; exprText is the expression's source text. */
  readonly watermark?: { readonly pos: Pos; readonly column: string; readonly expr: Expr; readonly exprText: string };
  /**
   * `[CONSTRAINT name] PRIMARY KEY (a, b) NOT ENFORCED`; also set for a column's inline `PRIMARY KEY NOT ENFORCED`
   * (then that column's `primaryKey` is true as well). `enforced` is true unless `NOT ENFORCED` was written.
   */
  readonly primaryKey?: { readonly pos: Pos; readonly name?: string; readonly columns: readonly string[]; readonly enforced: boolean };
  readonly comment?: string;
  readonly partitionedBy?: readonly string[];
  readonly options: readonly { key: string; value: string; pos: Pos }[];
  /** `LIKE source [(INCLUDING ALL | EXCLUDING OPTIONS | OVERWRITING WATERMARKS ...)]`. */
  readonly like?: { readonly pos: Pos; readonly name: QualifiedName; readonly options: readonly { action: 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING'; what: string }[] };
  /** `CREATE TABLE t WITH (...) AS SELECT` (CTAS). */
  readonly asQuery?: Query;
}

/** @public */
export interface CreateView {
  readonly type: 'create-view';
  readonly pos: Pos;
  readonly name: QualifiedName;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly columns?: readonly string[];
  readonly query: Query;
  readonly queryText: string;
  readonly comment?: string;
}

/** `DROP [TEMPORARY] TABLE|VIEW [IF EXISTS] name`. @public */
export interface Drop {
  readonly type: 'drop';
  readonly pos: Pos;
  readonly what: 'TABLE' | 'VIEW' | 'FUNCTION' | 'DATABASE' | 'CATALOG';
  readonly temporary: boolean;
  readonly ifExists: boolean;
  readonly name: QualifiedName;
  /** `DROP DATABASE ... CASCADE` (true) or `RESTRICT` (false); absent when neither was written. */
  readonly cascade?: boolean;
}

/** `ALTER TABLE name SET ('k' = 'v')`, `RESET ('k')`, `RENAME TO`; other forms are `unsupported`. @public */
export interface AlterTable {
  readonly type: 'alter-table';
  readonly pos: Pos;
  readonly name: QualifiedName;
  readonly ifExists: boolean;
  readonly action:
    | { readonly kind: 'set'; readonly options: readonly { key: string; value: string; pos: Pos }[] }
    | { readonly kind: 'reset'; readonly keys: readonly string[] }
    | { readonly kind: 'rename'; readonly to: QualifiedName }
    | { readonly kind: 'unsupported'; readonly what: string; readonly pos: Pos };
}

/** `INSERT INTO|OVERWRITE t [(cols)] [PARTITION (...)] query`. @public */
export interface Insert {
  readonly type: 'insert';
  readonly pos: Pos;
  readonly overwrite: boolean;
  readonly table: QualifiedName;
  readonly columns?: readonly string[];
  readonly hints?: TableRef['hints'];
  readonly partition?: readonly { key: string; value: Expr }[];
  readonly query: Query;
}

/** A query statement (`SELECT ...`, `VALUES ...`, `WITH ...`). @public */
export interface QueryStatement {
  readonly type: 'query-statement';
  readonly pos: Pos;
  readonly query: Query;
}

/** `EXPLAIN [PLAN FOR | ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN, PLAN_ADVICE] statement`. @public */
export interface Explain {
  readonly type: 'explain';
  readonly pos: Pos;
  readonly details: readonly string[];
  readonly statement: Statement;
}

/** `SET` (list all), `SET 'k' = 'v'` (also unquoted keys and values). @public */
export interface SetStatement {
  readonly type: 'set';
  readonly pos: Pos;
  readonly key?: string;
  readonly value?: string;
}

/** `RESET` (all) or `RESET 'k'`. @public */
export interface ResetStatement {
  readonly type: 'reset';
  readonly pos: Pos;
  readonly key?: string;
}

/** `SHOW TABLES|VIEWS|FUNCTIONS|CATALOGS|DATABASES|JOBS|CREATE TABLE x|CREATE VIEW x|COLUMNS FROM x`. @public */
export interface Show {
  readonly type: 'show';
  readonly pos: Pos;
  readonly what: 'TABLES' | 'VIEWS' | 'FUNCTIONS' | 'CATALOGS' | 'DATABASES' | 'JOBS' | 'CREATE TABLE' | 'CREATE VIEW' | 'COLUMNS' | 'CURRENT CATALOG' | 'CURRENT DATABASE' | 'MODULES';
  /** The object of `SHOW CREATE TABLE x`, `SHOW COLUMNS FROM x`, or the database of `SHOW TABLES FROM db`. */
  readonly name?: QualifiedName;
  readonly like?: string;
  /** `NOT LIKE 'pattern'`. */
  readonly notLike?: boolean;
  /** `ILIKE 'pattern'` (case-insensitive). */
  readonly ilike?: boolean;
}

/** `DESCRIBE name`, `DESC name`. @public */
export interface Describe {
  readonly type: 'describe';
  readonly pos: Pos;
  readonly name: QualifiedName;
  /** `DESCRIBE EXTENDED name`. */
  readonly extended?: boolean;
}

/** `EXECUTE STATEMENT SET BEGIN insert; insert; END` (also `BEGIN STATEMENT SET; ... END;`). @public */
export interface StatementSet {
  readonly type: 'statement-set';
  readonly pos: Pos;
  readonly inserts: readonly Insert[];
}

/** `USE [CATALOG] name`, `USE MODULES`, `CREATE FUNCTION`, `CREATE CATALOG`, `CREATE DATABASE`, `LOAD MODULE`, `ANALYZE`, `CALL`: parsed to be refused by the planner with `not supported`. @public */
export interface OtherStatement {
  readonly type: 'other';
  readonly pos: Pos;
  /** What it is, e.g. `CREATE FUNCTION`, `USE CATALOG`. */
  readonly what: string;
  readonly text: string;
}

/** A parsed statement of any kind (discriminated by `type`). @public */
export type Statement =
  | CreateTable
  | CreateView
  | Drop
  | AlterTable
  | Insert
  | QueryStatement
  | Explain
  | SetStatement
  | ResetStatement
  | Show
  | Describe
  | StatementSet
  | OtherStatement;

/** A statement with its source text. @public */
export interface ParsedStatement {
  /** The statement's syntax tree. */
  readonly statement: Statement;
  /** The statement's text, as written (without the terminating `;`). */
  readonly text: string;
  /** Where the statement starts. */
  readonly pos: Pos;
}
