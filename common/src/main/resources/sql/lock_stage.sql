-- Serialises stages on one target database: a session-level advisory lock, held until the stage's
-- connection ends. The key is a fixed number derived from the text 'timescaledb-backfill stage'.
-- Parameters: none.
SELECT pg_try_advisory_lock(hashtext('timescaledb-backfill stage')::bigint) AS locked
