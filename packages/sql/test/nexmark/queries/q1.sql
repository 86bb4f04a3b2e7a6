-- From nexmark/nexmark@6b3646c3baec: nexmark-flink/src/main/resources/queries/q1.sql (Apache License 2.0).
-- Verbatim except the sink: the blackhole table nexmark_q1 and `INSERT INTO nexmark_q1` are removed, so the
-- query is a plain SELECT whose rows the test collects.

-- -------------------------------------------------------------------------------------------------
-- Query1: Currency conversion
-- -------------------------------------------------------------------------------------------------
-- Convert each bid value from dollars to euros. Illustrates a simple transformation.
-- -------------------------------------------------------------------------------------------------

SELECT
    auction,
    bidder,
    0.908 * price as price, -- convert dollar to euro
    `dateTime`,
    extra
FROM bid;
