-- aggregate: funnel_daily
-- description: Sessions per UTC day reaching each funnel step (a session active across midnight counts on both days).
-- window_column: day
-- grain: day
-- reads: session_stages_daily (see ../stages/session_stages_daily.sql)
-- columns: day TIMESTAMP, sessions INT64, product_view_sessions INT64, add_to_cart_sessions INT64, checkout_sessions INT64, purchase_sessions INT64
SELECT
  day,
  COUNT(*) AS sessions,
  SUM(product_view) AS product_view_sessions,
  SUM(add_to_cart) AS add_to_cart_sessions,
  SUM(checkout_started) AS checkout_sessions,
  SUM(purchase) AS purchase_sessions
FROM session_stages_daily
GROUP BY 1
