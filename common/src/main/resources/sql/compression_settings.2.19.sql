-- TimescaleDB 2.19 and later: a compressed chunk's settings are keyed by its chunk (relid) and name it (compress_relid).
-- Every compression setting of the database: per hypertable (what it compresses new chunks with) and
-- per compressed chunk (what shaped its batches; TimescaleDB 2.19 keys those by compress_relid).
-- Parameters: none.
SELECT n.nspname::text AS schema_name, c.relname::text AS table_name,
       coalesce(s.segmentby, '{}')::text[] AS segmentby, coalesce(s.orderby, '{}')::text[] AS orderby,
       coalesce(s.orderby_desc, '{}') AS orderby_desc, coalesce(s.orderby_nullsfirst, '{}') AS orderby_nullsfirst
FROM _timescaledb_catalog.compression_settings s
JOIN pg_class c ON c.oid = coalesce(s.compress_relid, s.relid)
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE s.compress_relid IS NOT NULL
   OR EXISTS (SELECT 1 FROM _timescaledb_catalog.hypertable h WHERE h.schema_name = n.nspname AND h.table_name = c.relname)
