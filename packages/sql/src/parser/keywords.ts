// Which words are reserved, and the closed word lists of the grammar (time units, statement keywords). Runnel
// reserves fewer words than Flink: only the words that would make the grammar ambiguous if they were names
// (clause keywords, operators, join keywords, literals). Everything else, including `timestamp`, `date`, `value`,
// `key`, `year`, `count` and `comment`, may be a column name without back quotes; the parser tells a keyword from
// a name by its position (`DATE '2020-01-01'` is a literal, `date` alone is a column).

/**
 * Words that cannot be unquoted names. A reserved word used as a name must be back-quoted (`` `from` ``), as in
 * Flink.
 *
 * @internal
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'ALL', 'ALTER', 'AND', 'ANY', 'ARRAY', 'AS', 'ASC', 'ASYMMETRIC', 'BETWEEN', 'BOTH', 'BY', 'CASE', 'CAST',
  'CONSTRAINT', 'CREATE', 'CROSS', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DELETE', 'DESC', 'DESCRIBE',
  'DISTINCT', 'DROP', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'EXPLAIN', 'FALSE', 'FETCH', 'FOR', 'FROM',
  'FULL', 'GROUP', 'HAVING', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTERVAL', 'INTO', 'IS', 'JOIN', 'LATERAL',
  'LEADING', 'LEFT', 'LIKE', 'LIMIT', 'LOCALTIME', 'LOCALTIMESTAMP', 'MAP', 'MATCH_RECOGNIZE', 'MINUS', 'NATURAL',
  'NOT', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'RIGHT', 'ROW', 'SELECT', 'SIMILAR',
  'SOME', 'SYMMETRIC', 'TABLE', 'TABLESAMPLE', 'THEN', 'TRAILING', 'TRUE', 'UNION', 'UNNEST', 'UPDATE', 'USING',
  'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
]);

/**
 * Reserved words that are still function names when a `(` follows (`LEFT(s, 3)`, `RIGHT(s, 2)`, `CAST(x AS t)`).
 *
 * @internal
 */
export const RESERVED_FUNCTION_NAMES: ReadonlySet<string> = new Set(['LEFT', 'RIGHT', 'CAST']);

/**
 * Niladic functions written without parentheses (`CURRENT_TIMESTAMP`), which are calls, not columns.
 *
 * @internal
 */
export const NILADIC_FUNCTIONS: ReadonlySet<string> = new Set([
  'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'CURRENT_ROW_TIMESTAMP',
]);

/**
 * Units of INTERVAL literals and qualifiers, singular; the plural forms (`MINUTES`) mean the same.
 *
 * @internal
 */
export const INTERVAL_UNITS: ReadonlySet<string> = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);

/**
 * The `start TO end` pairs an interval qualifier may have (SQL standard).
 *
 * @internal
 */
export const INTERVAL_RANGES: ReadonlySet<string> = new Set([
  'YEAR TO MONTH', 'DAY TO HOUR', 'DAY TO MINUTE', 'DAY TO SECOND', 'HOUR TO MINUTE', 'HOUR TO SECOND', 'MINUTE TO SECOND',
]);

/**
 * Units of EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPADD and TIMESTAMPDIFF.
 *
 * @internal
 */
export const TIME_UNITS: ReadonlySet<string> = new Set([
  'MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND',
  'MILLISECOND', 'MICROSECOND', 'NANOSECOND', 'DOW', 'DOY', 'ISODOW', 'ISOYEAR', 'EPOCH',
]);

/**
 * The unit of a word, when it is one: singular or plural, and the `SQL_TSI_` forms of TIMESTAMPADD
 * (`SQL_TSI_DAY`), upper case; undefined otherwise.
 *
 * @internal
 */
export function timeUnitOf(upper: string): string | undefined {
  let unit = upper.startsWith('SQL_TSI_') ? upper.slice(8) : upper;
  if (unit === 'FRAC_SECOND') unit = 'MICROSECOND';
  if (TIME_UNITS.has(unit)) return unit;
  if (unit.endsWith('S') && TIME_UNITS.has(unit.slice(0, -1))) return unit.slice(0, -1);
  return undefined;
}

/**
 * The keywords that begin a statement, in the order an error message lists them.
 *
 * @internal
 */
export const STATEMENT_KEYWORDS: readonly string[] = [
  'SELECT', 'WITH', 'VALUES', 'INSERT', 'CREATE', 'DROP', 'ALTER', 'EXPLAIN', 'SET', 'RESET', 'SHOW', 'DESCRIBE',
  'EXECUTE', 'BEGIN', 'USE', 'LOAD', 'UNLOAD', 'ANALYZE', 'CALL', 'TRUNCATE', 'DELETE', 'UPDATE', 'ADD', 'REMOVE',
];

/**
 * Clause keywords a misspelt word after a name is compared with (`FROM t WHER x = 1`: `WHER` was read as an alias
 * of `t`, and the parser points at it instead of at `x`).
 *
 * @internal
 */
export const CLAUSE_KEYWORDS: readonly string[] = [
  'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT',
  'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'ON', 'USING', 'SELECT', 'AS',
];

/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions: `FORM` is one edit from `FROM`).
 *
 * @internal
 */
export function typoDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The keyword `word` is probably a misspelling of: one edit away for words up to 5 letters, two for longer
 * ones, never for words under 3 letters (too many short names are one edit from a keyword).
 *
 * @internal
 */
export function misspeltKeyword(word: string, keywords: Iterable<string>): string | undefined {
  const upper = word.toUpperCase();
  if (upper.length < 3) return undefined;
  const limit = upper.length <= 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of keywords) {
    if (k === upper || Math.abs(k.length - upper.length) > limit) continue;
    const d = typoDistance(upper, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
