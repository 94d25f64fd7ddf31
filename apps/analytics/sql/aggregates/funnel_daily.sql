-- aggregate: funnel_daily
-- description: Sessions per UTC day reaching each funnel step (a session active across midnight counts on both days).
-- window_column: day
-- grain: day
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: day TIMESTAMP, sessions INT64, product_view_sessions INT64, add_to_cart_sessions INT64, checkout_sessions INT64, purchase_sessions INT64
SELECT
  TIMESTAMP_TRUNC(event_time, DAY) AS day,
  COUNT(DISTINCT session_id) AS sessions,
  COUNT(DISTINCT CASE WHEN event_type = 'product_view' THEN session_id END) AS product_view_sessions,
  COUNT(DISTINCT CASE WHEN event_type = 'add_to_cart' THEN session_id END) AS add_to_cart_sessions,
  COUNT(DISTINCT CASE WHEN event_type = 'checkout_started' THEN session_id END) AS checkout_sessions,
  COUNT(DISTINCT CASE WHEN event_type = 'purchase' THEN session_id END) AS purchase_sessions
FROM events
GROUP BY 1
