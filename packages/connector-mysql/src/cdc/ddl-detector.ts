// Finds the tables a DDL statement from the binlog changes (ALTER, DROP, RENAME, TRUNCATE TABLE), so the binlog
// reader can fail on a schema change of a captured table with the statement in the message instead of decoding rows
// against a schema it no longer matches. Statements are matched loosely (comments stripped, identifiers quoted or
// not, `db.table` or the statement's default database); anything else (CREATE TABLE, GRANT, ...) changes no captured
// table's schema.

const IDENT = '(?:`(?:[^`]|``)+`|[\\w$\\u0080-\\uffff]+)';
const NAME = `${IDENT}(?:\\s*\\.\\s*${IDENT})?`;
const unquote = (s: string): string => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);

function splitName(text: string, defaultDb: string): { database: string; table: string } {
  const m = new RegExp(`^(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?$`).exec(text.trim());
  if (m === null) return { database: defaultDb, table: text.trim() };
  return m[2] === undefined ? { database: defaultDb, table: unquote(m[1]!) } : { database: unquote(m[1]!), table: unquote(m[2]) };
}

/**
 * The tables a DDL statement alters, drops, renames or truncates (empty for other statements).
 *
 * @internal
 */
export function ddlTargets(statement: string, defaultDb: string): { database: string; table: string }[] {
  const s = statement.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*\n/g, ' ').trim();
  const names = (list: string): { database: string; table: string }[] =>
    [...list.matchAll(new RegExp(NAME, 'g'))].map((m) => splitName(m[0], defaultDb));
  let m = new RegExp(`^ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${NAME})`, 'i').exec(s);
  if (m) return [splitName(m[1]!, defaultDb)];
  m = new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?(${NAME})`, 'i').exec(s);
  if (m) return [splitName(m[1]!, defaultDb)];
  m = /^DROP\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?([\s\S]*?)(?:\s+(?:RESTRICT|CASCADE))?\s*$/i.exec(s);
  if (m) return names(m[1]!.replace(/\/\*.*$/, ''));
  m = /^RENAME\s+TABLES?\s+([\s\S]*)$/i.exec(s);
  if (m) {
    const out: { database: string; table: string }[] = [];
    for (const pair of m[1]!.split(',')) {
      const p = new RegExp(`^\\s*(${NAME})\\s+TO\\s+(${NAME})\\s*$`, 'i').exec(pair);
      if (p) out.push(splitName(p[1]!, defaultDb), splitName(p[2]!, defaultDb));
    }
    return out;
  }
  return [];
}
