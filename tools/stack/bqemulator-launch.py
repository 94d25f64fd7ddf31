"""Starts bqemulator with its table snapshots switched off.

bqemulator 1.4.0 implements time travel (FOR SYSTEM_TIME AS OF) by copying the whole table after every
write: every insertAll and every DML statement runs `CREATE TABLE <snapshot> AS SELECT * FROM <table>`
(bqemulator/versioning/snapshots.py, SnapshotManager.capture, called from record_change), and keeps the
copies for time_travel_retention_days (7 by default). Each write therefore costs in proportion to the
table, and `events` grows with every run: py-spy showed half of the emulator's samples in that copy
during `npm run bench`, and insertAll fell from about 420 to 205 rows/s while `events` grew to 40,000
rows, against a steady 1,200-1,480 rows/s with the copy off (docs/decisions/0002-...).

Nothing here queries time travel, so capture becomes a no-op; record_change still publishes the
TableDataChanged event the query cache and materialized views listen to. Arguments are bqemulator's.
"""

import sys

from bqemulator.versioning import snapshots

snapshots.SnapshotManager.capture = lambda self, *args, **kwargs: None

from bqemulator.cli import main  # noqa: E402  (after the patch, so nothing captured a reference first)

sys.exit(main())
