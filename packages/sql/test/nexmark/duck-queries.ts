// DuckDB equivalents of the Nexmark queries in test/nexmark/queries, written by hand over the tables person, auction
// and bid (DuckDB types, dateTime as TIMESTAMP). Each gives the same columns in the same order, with Flink's
// semantics spelled out where the dialects differ (see the comments). q12 (processing time) is checked separately.

/** The same REGEXP as q21 (Java and RE2 read it alike). */
const CHANNEL_ID = `'(&|^)channel_id=([^&]*)'`;

/** Flink's `SPLIT_INDEX(url, '/', i)`: the i-th (from 0) '/'-separated part, NULL past the last one (not ''). */
const splitIndex = (i: number): string => `CASE WHEN len(string_split(url, '/')) > ${i} THEN string_split(url, '/')[${i + 1}] END`;

/** q15's, q16's and q17's filtered counts by price rank. */
const RANK_COUNTS = (what: string): string => `
  COUNT(${what}) FILTER (WHERE price < 10000),
  COUNT(${what}) FILTER (WHERE price >= 10000 AND price < 1000000),
  COUNT(${what}) FILTER (WHERE price >= 1000000)`;

const DISTINCT_COUNTS = `
  COUNT(*), ${RANK_COUNTS('*')},
  COUNT(DISTINCT bidder), ${RANK_COUNTS('DISTINCT bidder')},
  COUNT(DISTINCT auction), ${RANK_COUNTS('DISTINCT auction')}`;

/** Query name (a file in queries/) → its DuckDB equivalent. */
export const DUCK_QUERIES: Readonly<Record<string, string>> = {
  q0: `SELECT auction, bidder, price, "dateTime", extra FROM bid`,

  // 0.908 * BIGINT is DECIMAL(23, 3) in Flink; values compare as numbers.
  q1: `SELECT auction, bidder, 0.908 * price AS price, "dateTime", extra FROM bid`,

  q2: `SELECT auction, price FROM bid WHERE auction % 123 = 0`,

  // Flink's legacy SESSION group window: per bidder, a bid joins the session of the previous one when it comes at
  // most 10 s later (Flink merges the windows [t, t + gap) when they touch, so a gap of exactly 10 s still joins);
  // SESSION_START is the first bid's time, SESSION_END the last one's plus the gap.
  q11: `
    SELECT bidder, COUNT(*) AS bid_count, MIN("dateTime") AS starttime, MAX("dateTime") + INTERVAL '10 seconds' AS endtime
    FROM (
      SELECT *, SUM(brk) OVER (PARTITION BY bidder ORDER BY "dateTime" ROWS UNBOUNDED PRECEDING) AS session
      FROM (
        SELECT *, CASE WHEN "dateTime" - LAG("dateTime") OVER (PARTITION BY bidder ORDER BY "dateTime") <= INTERVAL '10 seconds' THEN 0 ELSE 1 END AS brk
        FROM bid))
    GROUP BY bidder, session`,

  // DATE_FORMAT(ts, 'yyyy-MM-dd') is strftime(ts, '%Y-%m-%d').
  q15: `
    SELECT strftime("dateTime", '%Y-%m-%d') AS day, ${DISTINCT_COUNTS}
    FROM bid GROUP BY day`,

  q16: `
    SELECT channel, strftime("dateTime", '%Y-%m-%d') AS day, MAX(strftime("dateTime", '%H:%M')) AS minute, ${DISTINCT_COUNTS}
    FROM bid GROUP BY channel, day`,

  // Flink's AVG of a BIGINT is a BIGINT: the sum divided by the count, truncated (prices are positive, so // is
  // the same, and exact where a DOUBLE average could round up to the next integer).
  q17: `
    SELECT auction, strftime("dateTime", '%Y-%m-%d') AS day, COUNT(*), ${RANK_COUNTS('*')},
      MIN(price), MAX(price), CAST(SUM(price) // COUNT(price) AS BIGINT), SUM(price)
    FROM bid GROUP BY auction, day`,

  // Flink's REGEXP_EXTRACT is NULL when the pattern does not match (DuckDB's regexp_extract gives '').
  q21: `
    SELECT auction, bidder, price, channel,
      CASE
        WHEN lower(channel) = 'apple' THEN '0'
        WHEN lower(channel) = 'google' THEN '1'
        WHEN lower(channel) = 'facebook' THEN '2'
        WHEN lower(channel) = 'baidu' THEN '3'
        ELSE CASE WHEN regexp_matches(url, ${CHANNEL_ID}) THEN regexp_extract(url, ${CHANNEL_ID}, 2) END
      END AS channel_id
    FROM bid
    WHERE regexp_matches(url, ${CHANNEL_ID}) OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`,

  q22: `SELECT auction, bidder, price, channel, ${splitIndex(3)} AS dir1, ${splitIndex(4)} AS dir2, ${splitIndex(5)} AS dir3 FROM bid`,
};
