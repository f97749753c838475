-- TimescaleDB 2.17 to 2.18: a compressed chunk's settings are keyed by the compressed chunk itself (relid).
-- Every compression setting of the database: per hypertable (what it compresses new chunks with) and
-- per compressed chunk (what shaped its batches), by the name of the hypertable or compressed chunk.
-- A hypertable's setting is NULL where TimescaleDB derives it when it compresses a chunk; a
-- compressed chunk's settings are always complete ({} for no segmentby). Parameters: none.
WITH s AS (
  SELECT s.*, n.nspname, c.relname,
         NOT EXISTS (SELECT 1 FROM _timescaledb_catalog.hypertable h
                     WHERE h.schema_name = n.nspname AND h.table_name = c.relname) AS compressed_chunk
  FROM _timescaledb_catalog.compression_settings s
  JOIN pg_class c ON c.oid = s.relid
  JOIN pg_namespace n ON n.oid = c.relnamespace
)
SELECT nspname::text AS schema_name, relname::text AS table_name,
       CASE WHEN compressed_chunk THEN coalesce(segmentby, '{}') ELSE segmentby END::text[] AS segmentby,
       CASE WHEN compressed_chunk THEN coalesce(orderby, '{}') ELSE orderby END::text[] AS orderby,
       CASE WHEN compressed_chunk THEN coalesce(orderby_desc, '{}') ELSE orderby_desc END AS orderby_desc,
       CASE WHEN compressed_chunk THEN coalesce(orderby_nullsfirst, '{}') ELSE orderby_nullsfirst END
         AS orderby_nullsfirst
FROM s
