-- TimescaleDB 2.28 and later: timescaledb.skip_cagg_invalidation, made for bulk-migration tools.
-- Keeps the copy transaction's writes out of the continuous-aggregate invalidation log, until commit.
-- Parameters: none.
SELECT set_config('timescaledb.skip_cagg_invalidation', 'on', true) AS skip_cagg_invalidation
