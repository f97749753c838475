-- TimescaleDB 2.17 to 2.18: a compressed chunk's settings are keyed by the compressed chunk itself (relid).
-- Every compression setting of the database: per hypertable (what it compresses new chunks with) and
-- per compressed chunk (what shaped its batches). Parameters: none.
SELECT n.nspname::text AS schema_name, c.relname::text AS table_name,
       coalesce(s.segmentby, '{}')::text[] AS segmentby, coalesce(s.orderby, '{}')::text[] AS orderby,
       coalesce(s.orderby_desc, '{}') AS orderby_desc, coalesce(s.orderby_nullsfirst, '{}') AS orderby_nullsfirst
FROM _timescaledb_catalog.compression_settings s
JOIN pg_class c ON c.oid = s.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
