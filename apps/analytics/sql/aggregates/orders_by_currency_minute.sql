-- aggregate: orders_by_currency_minute
-- description: Orders, units and revenue per UTC minute and currency (exact NUMERIC sums), each order event counted once.
-- window_column: minute
-- grain: minute
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: minute TIMESTAMP, currency STRING, orders INT64, units INT64, revenue NUMERIC
SELECT
  TIMESTAMP_TRUNC(event_time, MINUTE) AS minute,
  currency,
  COUNT(*) AS orders,
  SUM(units) AS units,
  SUM(value) AS revenue
FROM events
WHERE event_type = 'purchase'
GROUP BY 1, 2
