-- Waits for the stage advisory lock of lock_stage.sql. Parameters: none.
SELECT pg_advisory_lock(hashtext('timescaledb-backfill stage')::bigint)
