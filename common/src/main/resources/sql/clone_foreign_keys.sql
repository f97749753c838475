-- Gives a new compressed chunk the hypertable's foreign keys, as TimescaleDB does.
-- Parameters: $1 hypertable ("schema"."table"), $2 compressed chunk ("schema"."table").
SELECT _timescaledb_functions.constraint_clone(oid, $2::text::regclass)
FROM pg_constraint WHERE conrelid = $1::text::regclass AND contype = 'f'
