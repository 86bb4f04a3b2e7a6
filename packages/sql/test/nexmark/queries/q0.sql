-- From nexmark/nexmark@6b3646c3baec: nexmark-flink/src/main/resources/queries/q0.sql (Apache License 2.0).
-- Verbatim except the sink: the blackhole table nexmark_q0 and `INSERT INTO nexmark_q0` are removed, so the
-- query is a plain SELECT whose rows the test collects.

-- -------------------------------------------------------------------------------------------------
-- Query 0: Pass through (Not in original suite)
-- -------------------------------------------------------------------------------------------------
-- This measures the monitoring overhead of the Flink SQL implementation including the source generator.
-- Using `bid` events here, as they are most numerous with default configuration.
-- -------------------------------------------------------------------------------------------------

SELECT auction, bidder, price, `dateTime`, extra FROM bid;
