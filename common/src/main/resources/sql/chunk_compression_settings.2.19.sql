-- TimescaleDB 2.19 and later: a compressed chunk's settings are keyed by its chunk (relid) and name it (compress_relid).
-- The settings that shape the batches of one chunk's compressed chunk, as TimescaleDB recorded them
-- when the chunk got it (no row without one). Parameters: $1 chunk schema, $2 chunk name.
SELECT coalesce(s.segmentby, '{}')::text[] AS segmentby, coalesce(s.orderby, '{}')::text[] AS orderby,
       coalesce(s.orderby_desc, '{}') AS orderby_desc, coalesce(s.orderby_nullsfirst, '{}') AS orderby_nullsfirst
FROM _timescaledb_catalog.compression_settings s
WHERE s.relid = to_regclass(format('%I.%I', $1::text, $2::text)) AND s.compress_relid IS NOT NULL
