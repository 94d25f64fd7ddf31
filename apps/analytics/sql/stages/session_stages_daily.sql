-- stage: session_stages_daily
-- description: Per UTC day and session, whether the session reached each funnel step (1) or not (0). An intermediate result: funnel_daily reads it.
-- window_column: day
-- grain: day
-- key: day, session_id
-- combine: max
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: day TIMESTAMP, session_id STRING, product_view INT64, add_to_cart INT64, checkout_started INT64, purchase INT64
SELECT
  TIMESTAMP_TRUNC(event_time, DAY) AS day,
  session_id,
  MAX(CASE WHEN event_type = 'product_view' THEN 1 ELSE 0 END) AS product_view,
  MAX(CASE WHEN event_type = 'add_to_cart' THEN 1 ELSE 0 END) AS add_to_cart,
  MAX(CASE WHEN event_type = 'checkout_started' THEN 1 ELSE 0 END) AS checkout_started,
  MAX(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS purchase
FROM events
GROUP BY 1, 2
