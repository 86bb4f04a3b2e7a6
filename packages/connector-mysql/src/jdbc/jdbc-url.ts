// Parses Flink's `url` option for MySQL: `jdbc:mysql://host[:port]/database[?k=v&...]` (and `jdbc:mariadb://`),
// with the Connector/J parameters that matter to this connector; a parameter it does not know is refused by name, so
// a setting the user relies on is never silently ignored. The password (in the URL or the options) never appears in
// a message: `describeJdbcUrl` gives the URL with it replaced by `***`.
import { ConfigurationError } from '@runnel/api/config';

/**
 * What a MySQL JDBC URL says.
 *
 * @public
 */
export interface JdbcUrl {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
  readonly connectTimeoutMs?: number;
  /** `serverTimezone` / `connectionTimeZone`. */
  readonly timeZone?: string;
  readonly ssl?: boolean;
}

/** Connector/J parameters accepted without effect (they tune the Java driver, or are what mysql2 does anyway). */
const IGNORED = new Set([
  'useunicode',
  'characterencoding',
  'rewritebatchedstatements',
  'usecursorfetch',
  'autoreconnect',
  'allowpublickeyretrieval',
  'usejdbccomplianttimezoneshift',
  'uselegacydatetimecode',
  'zerodatetimebehavior',
  'tinyint1isbit',
  'cacheprepstmts',
  'useserverprepstmts',
  'preparestmtcachesize',
  'preparestmtcachesqllimit',
  'sockettimeout',
  'sessionvariables',
]);

/**
 * Parses a MySQL JDBC URL.
 *
 * @throws ConfigurationError naming what is wrong (the URL is shown with its password redacted)
 * @public
 */
export function parseJdbcUrl(url: string, where = 'jdbc'): JdbcUrl {
  const shown = describeJdbcUrl(url);
  const fail = (why: string): never => {
    throw new ConfigurationError(`${where}: option 'url': ${why} (got '${shown}'; expected jdbc:mysql://host[:port]/database[?params])`, 'url');
  };
  const m = /^jdbc:(mysql|mariadb):\/\/(?:([^@/?]*)@)?([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/i.exec(url.trim());
  if (m === null) return fail('not a MySQL JDBC URL');
  const [, , userInfo, hostPort, dbPart, query] = m;
  if (hostPort!.includes(',')) fail('several hosts (failover or load balancing) are not supported; name one host');
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort!);
  if (hp === null) return fail('bad host or port');
  const host = hp[1]!.replace(/^\[|\]$/g, '');
  const port = hp[2] === undefined ? 3306 : Number(hp[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`bad port '${hp[2]}'`);
  const database = decodeURIComponent(dbPart ?? '');
  if (database === '') fail('no database');
  let user: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined && userInfo !== '') {
    const i = userInfo.indexOf(':');
    user = decodeURIComponent(i < 0 ? userInfo : userInfo.slice(0, i));
    if (i >= 0) password = decodeURIComponent(userInfo.slice(i + 1));
  }
  let connectTimeoutMs: number | undefined;
  let timeZone: string | undefined;
  let ssl: boolean | undefined;
  for (const part of (query ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    switch (key.toLowerCase()) {
      case 'user':
        user = value;
        break;
      case 'password':
        password = value;
        break;
      case 'connecttimeout': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) fail(`parameter 'connectTimeout' must be milliseconds, got '${value}'`);
        connectTimeoutMs = n;
        break;
      }
      case 'servertimezone':
      case 'connectiontimezone':
        timeZone = value;
        break;
      case 'usessl':
        ssl = value.toLowerCase() === 'true';
        break;
      case 'sslmode':
        ssl = !['disabled', 'preferred'].includes(value.toLowerCase());
        break;
      default:
        if (!IGNORED.has(key.toLowerCase())) fail(`unknown parameter '${key}'`);
    }
  }
  return { host, port, database, user, password, connectTimeoutMs, timeZone, ssl };
}

/**
 * The URL with any password (user-info or parameter) replaced by `***`, for messages and EXPLAIN.
 *
 * @public
 */
export function describeJdbcUrl(url: string): string {
  return url.replace(/(\/\/[^:@/?]*:)[^@/?]*@/, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}
