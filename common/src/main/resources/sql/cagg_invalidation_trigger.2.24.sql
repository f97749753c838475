-- TimescaleDB 2.24 and later: TimescaleDB logs invalidations itself; no chunk has the trigger (#8769), see skip_cagg_invalidation.
-- Whether a chunk has TimescaleDB's continuous-aggregate invalidation trigger, and its hypertable's
-- id for re-creating it: never. Parameters (JDBC): 1 chunk schema, 2 chunk name.
SELECT NULL::integer AS hypertable_id WHERE ?::text IS NULL AND ?::text IS NULL AND false
