-- From nexmark/nexmark@6b3646c3baec: nexmark-flink/src/main/resources/queries/q12.sql (Apache License 2.0).
-- Verbatim except the sink: the blackhole table nexmark_q12 and `INSERT INTO nexmark_q12` are removed, so the
-- query is a plain SELECT whose rows the test collects.

-- -------------------------------------------------------------------------------------------------
-- Query 12: Processing Time Windows (Not in original suite)
-- -------------------------------------------------------------------------------------------------
-- How many bids does a user make within a fixed processing time limit?
-- Illustrates working in processing time window.
--
-- Group bids by the same user into processing time windows of 10 seconds.
-- Emit the count of bids per window.
-- -------------------------------------------------------------------------------------------------

CREATE VIEW B AS SELECT *, PROCTIME() as p_time FROM bid;

SELECT
    bidder,
    count(*) as bid_count,
    window_start AS starttime,
    window_end AS endtime
FROM TABLE(
        TUMBLE(TABLE B, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;
