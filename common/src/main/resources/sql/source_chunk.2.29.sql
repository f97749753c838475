-- TimescaleDB 2.29 and later: chunks known by relid; a compressed relation is no chunk, its chunk's compression_settings name it.
-- A source chunk that still exists (no row when it was dropped), with its compressed relation, if any.
-- Parameters (JDBC): 1 chunk schema, 2 chunk name.
SELECT zn.nspname::text AS compressed_schema, zr.relname::text AS compressed_name
FROM _timescaledb_catalog.chunk c
LEFT JOIN _timescaledb_catalog.compression_settings cs ON cs.relid = c.relid
LEFT JOIN pg_class zr ON zr.oid = cs.compress_relid
LEFT JOIN pg_namespace zn ON zn.oid = zr.relnamespace
WHERE c.relid = to_regclass(format('%I.%I', ?::text, ?::text))
