-- TimescaleDB 2.17 to 2.23: chunks of a hypertable with continuous aggregates carry the trigger.
-- Whether a chunk has TimescaleDB's continuous-aggregate invalidation trigger, and its hypertable's
-- id for re-creating it. Parameters (JDBC): 1 chunk schema, 2 chunk name.
SELECT c.hypertable_id
FROM _timescaledb_catalog.chunk c
JOIN pg_namespace n ON n.nspname = c.schema_name
JOIN pg_class r ON r.relnamespace = n.oid AND r.relname = c.table_name
JOIN pg_trigger t ON t.tgrelid = r.oid AND t.tgname = 'ts_cagg_invalidation_trigger'
WHERE c.schema_name = ? AND c.table_name = ?
