-- Whether clean may drop the task queue: no copy or verify run holds the run lock of
-- lock_run_shared.sql and no stage holds the stage lock of lock_stage.sql. The locks taken are
-- session-level and end with clean's connection. Parameters: none.
SELECT pg_try_advisory_lock(hashtext('timescaledb-backfill run')::bigint) AS no_run,
       pg_try_advisory_lock(hashtext('timescaledb-backfill stage')::bigint) AS no_stage
