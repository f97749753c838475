-- TimescaleDB 2.19 and later: a compressed chunk's settings are keyed by its chunk (relid) and name it (compress_relid).
-- Every compression setting of the database: per hypertable (what it compresses new chunks with) and
-- per compressed chunk (what shaped its batches), by the name of the hypertable or compressed chunk.
-- A hypertable's setting is NULL where TimescaleDB derives it when it compresses a chunk; a
-- compressed chunk's settings are always complete ({} for no segmentby). Parameters: none.
SELECT n.nspname::text AS schema_name, c.relname::text AS table_name,
       CASE WHEN s.compress_relid IS NULL THEN s.segmentby ELSE coalesce(s.segmentby, '{}') END::text[] AS segmentby,
       CASE WHEN s.compress_relid IS NULL THEN s.orderby ELSE coalesce(s.orderby, '{}') END::text[] AS orderby,
       CASE WHEN s.compress_relid IS NULL THEN s.orderby_desc ELSE coalesce(s.orderby_desc, '{}') END AS orderby_desc,
       CASE WHEN s.compress_relid IS NULL THEN s.orderby_nullsfirst ELSE coalesce(s.orderby_nullsfirst, '{}') END
         AS orderby_nullsfirst
FROM _timescaledb_catalog.compression_settings s
JOIN pg_class c ON c.oid = coalesce(s.compress_relid, s.relid)
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE s.compress_relid IS NOT NULL
   OR EXISTS (SELECT 1 FROM _timescaledb_catalog.hypertable h WHERE h.schema_name = n.nspname AND h.table_name = c.relname)
