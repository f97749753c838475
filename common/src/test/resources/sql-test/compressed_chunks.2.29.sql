-- TimescaleDB 2.29 and later: a compressed relation is named by its chunk's compression_settings.
-- Every chunk that has a compressed chunk, with its status and the compressed chunk's name.
SELECT h.table_name::text AS hypertable_name, r.relname::text AS chunk_name, c.status,
       zn.nspname::text AS compressed_schema, zr.relname::text AS compressed_name
FROM _timescaledb_catalog.chunk c
JOIN pg_class r ON r.oid = c.relid
JOIN _timescaledb_catalog.hypertable h ON h.id = c.hypertable_id
JOIN _timescaledb_catalog.compression_settings cs ON cs.relid = c.relid
JOIN pg_class zr ON zr.oid = cs.compress_relid
JOIN pg_namespace zn ON zn.oid = zr.relnamespace
