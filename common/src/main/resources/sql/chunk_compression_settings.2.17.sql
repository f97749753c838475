-- TimescaleDB 2.17 to 2.18: a compressed chunk's settings are keyed by the compressed chunk itself (relid).
-- The settings that shape the batches of one chunk's compressed chunk, as TimescaleDB recorded them
-- when the chunk got it (no row without one). Parameters: $1 chunk schema, $2 chunk name.
SELECT coalesce(s.segmentby, '{}')::text[] AS segmentby, coalesce(s.orderby, '{}')::text[] AS orderby,
       coalesce(s.orderby_desc, '{}') AS orderby_desc, coalesce(s.orderby_nullsfirst, '{}') AS orderby_nullsfirst
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
JOIN _timescaledb_catalog.compression_settings s
  ON s.relid = format('%I.%I', z.schema_name, z.table_name)::regclass
WHERE c.schema_name = $1::text AND c.table_name = $2::text
