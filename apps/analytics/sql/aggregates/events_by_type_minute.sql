-- aggregate: events_by_type_minute
-- description: Events per UTC minute and type, each event_id counted once.
-- window_column: minute
-- grain: minute
-- reads: events (deduplicated window, see ../deduped_events.sql)
-- columns: minute TIMESTAMP, event_type STRING, events INT64
SELECT
  TIMESTAMP_TRUNC(event_time, MINUTE) AS minute,
  event_type,
  COUNT(*) AS events
FROM events
GROUP BY 1, 2
