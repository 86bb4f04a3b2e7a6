-- From nexmark/nexmark@6b3646c3baec: nexmark-flink/src/main/resources/queries/q2.sql (Apache License 2.0).
-- Verbatim except the sink: the blackhole table nexmark_q2 and `INSERT INTO nexmark_q2` are removed, so the
-- query is a plain SELECT whose rows the test collects.

-- -------------------------------------------------------------------------------------------------
-- Query2: Selection
-- -------------------------------------------------------------------------------------------------
-- Find bids with specific auction ids and show their bid price.
--
-- In original Nexmark queries, Query2 is as following (in CQL syntax):
--
--   SELECT Rstream(auction, price)
--   FROM Bid [NOW]
--   WHERE auction = 1007 OR auction = 1020 OR auction = 2001 OR auction = 2019 OR auction = 2087;
--
-- However, that query will only yield a few hundred results over event streams of arbitrary size.
-- To make it more interesting we instead choose bids for every 123'th auction.
-- -------------------------------------------------------------------------------------------------

SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
