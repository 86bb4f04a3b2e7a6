-- From nexmark/nexmark@6b3646c3baec: nexmark-flink/src/main/resources/queries/q22.sql (Apache License 2.0).
-- Verbatim except the sink: the blackhole table nexmark_q22 and `INSERT INTO nexmark_q22` are removed, so the
-- query is a plain SELECT whose rows the test collects.

-- -------------------------------------------------------------------------------------------------
-- Query 22: Get URL Directories (Not in original suite)
-- -------------------------------------------------------------------------------------------------
-- What is the directory structure of the URL?
-- Illustrates a SPLIT_INDEX SQL.
-- -------------------------------------------------------------------------------------------------

SELECT
    auction, bidder, price, channel,
    SPLIT_INDEX(url, '/', 3) as dir1,
    SPLIT_INDEX(url, '/', 4) as dir2,
    SPLIT_INDEX(url, '/', 5) as dir3 FROM bid;
