-- Hypertables, and chunks of them, stored with the hypercore table access method (TimescaleDB 2.18 to
-- 2.21 only; it was removed in 2.22, and no other release has an access method of that name), which
-- backfill refuses as the original tool does. Parameters: $1 hypertable ids (integer[]).
WITH ht AS (
  SELECT to_regclass(format('%I.%I', schema_name, table_name)) AS oid
  FROM _timescaledb_catalog.hypertable WHERE id = ANY($1::integer[])
)
SELECT format('%I.%I', n.nspname, c.relname) AS name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = c.relam
WHERE am.amname = 'hypercore'
  AND (c.oid IN (SELECT oid FROM ht)
       OR c.oid IN (SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent IN (SELECT oid FROM ht)))
ORDER BY 1
