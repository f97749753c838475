-- Marks a copy or verify run as in progress on this target database, for clean to see: a shared
-- session-level advisory lock, held by the coordinator's own connection until the run ends. Runs share
-- it with each other; clean takes it exclusively (try_lock_clean.sql). Parameters: none.
SELECT pg_advisory_lock_shared(hashtext('timescaledb-backfill run')::bigint)
