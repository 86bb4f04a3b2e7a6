-- Demo, in SQL: the same application metrics as job.ts. App events (latency, status) come from the datagen
-- connector, get an event-time attribute with a 2-second watermark delay, and are aggregated per app in 10-second
-- tumbling windows; every window's metrics go to JSON-lines files (exactly-once, visible at checkpoints and at the
-- end), and the checkout app's bad minute shows up in the printed worst windows.
--
--   pnpm exec runnel sql -f examples/app-metrics/metrics.sql
SET 'pipeline.name' = 'app-metrics-sql';
SET 'parallelism.default' = '2';
SET 'table.local-time-zone' = 'UTC';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TEMPORARY TABLE app_events (
  seq BIGINT,
  app_id INT,
  latency DOUBLE,
  status INT,
  jitter INT,
  app AS CASE app_id WHEN 0 THEN 'checkout' WHEN 1 THEN 'search' WHEN 2 THEN 'catalog' WHEN 3 THEN 'auth'
        WHEN 4 THEN 'payments' WHEN 5 THEN 'recommendations' WHEN 6 THEN 'cart' ELSE 'shipping' END,
  -- 5 ms of event time per event, delivered up to 1.5 s out of order.
  ts AS TO_TIMESTAMP_LTZ(1767225600000 + seq * 5 - jitter, 3),
  -- The checkout app has a bad minute every ten minutes: slower and failing.
  bad AS app_id = 0 AND MOD(1767225600000 + seq * 5 - jitter, 600000) < 60000,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '600000',
  'rows-per-second' = '0',
  'seed' = '42',
  'fields.seq.kind' = 'sequence', 'fields.seq.start' = '0', 'fields.seq.end' = '599999',
  'fields.app_id.min' = '0', 'fields.app_id.max' = '7',
  'fields.latency.min' = '1', 'fields.latency.max' = '400',
  'fields.status.min' = '0', 'fields.status.max' = '99',
  'fields.jitter.min' = '0', 'fields.jitter.max' = '1500'
);

CREATE TEMPORARY VIEW app_windows AS
SELECT
  app,
  window_start,
  COUNT(*) AS events,
  COUNT(*) FILTER (WHERE status < CASE WHEN bad THEN 30 ELSE 2 END) AS errors,
  AVG(latency * CASE WHEN bad THEN 4 ELSE 1 END) AS avg_latency_ms,
  MAX(latency * CASE WHEN bad THEN 4 ELSE 1 END) AS max_latency_ms
FROM TABLE(TUMBLE(TABLE app_events, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY app, window_start, window_end;

CREATE TEMPORARY TABLE app_metrics (
  app STRING,
  window_start TIMESTAMP_LTZ(3),
  events BIGINT,
  errors BIGINT,
  avg_latency_ms DOUBLE,
  max_latency_ms DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'out/app-metrics-sql', 'format' = 'json');

INSERT INTO app_metrics SELECT * FROM app_windows;

-- The windows where an app failed more than 10 % of its requests.
SELECT app, window_start, events, errors, CAST(errors * 100 / events AS INT) AS error_pct
FROM app_windows
WHERE errors * 10 > events;
