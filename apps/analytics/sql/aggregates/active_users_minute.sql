-- aggregate: active_users_minute
-- description: Distinct users (user_id, else anonymous_id) with any event in the UTC minute.
-- window_column: minute
-- grain: minute
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: minute TIMESTAMP, users INT64
SELECT
  TIMESTAMP_TRUNC(event_time, MINUTE) AS minute,
  COUNT(DISTINCT user_key) AS users
FROM events
GROUP BY 1
