-- aggregate: product_revenue_minute
-- description: Units and revenue per product, UTC minute and currency from purchase line items; top products = ORDER BY revenue DESC over a range.
-- window_column: minute
-- grain: minute
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: minute TIMESTAMP, product_id STRING, category STRING, currency STRING, orders INT64, units INT64, revenue NUMERIC
SELECT
  TIMESTAMP_TRUNC(events.event_time, MINUTE) AS minute,
  item.product_id AS product_id,
  item.category AS category,
  events.currency AS currency,
  COUNT(DISTINCT events.event_id) AS orders,
  SUM(item.quantity) AS units,
  SUM(item.price * item.quantity) AS revenue
FROM events, UNNEST(events.items) AS item
WHERE events.event_type = 'purchase'
GROUP BY 1, 2, 3, 4
