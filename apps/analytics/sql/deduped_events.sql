-- The `events` rows of one window, each event_id once. Every aggregate reads this, never the table:
-- Pub/Sub redeliveries, publisher retries and insertAll retries all become extra rows in `events`.
-- Copies of one event share its event_time, so filtering on the window keeps copies together.
SELECT * FROM (
  SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.event_id ORDER BY e.event_time) AS copy_number
  FROM `${dataset}.events` AS e
  WHERE e.event_time >= @window_start AND e.event_time < @window_end
) AS numbered
WHERE copy_number = 1
