-- TimescaleDB 2.17 to 2.28: a compressed chunk is a chunk, linked by compressed_chunk_id.
-- Every chunk that has a compressed chunk, with its status and the compressed chunk's name.
SELECT h.table_name::text AS hypertable_name, c.table_name::text AS chunk_name, c.status,
       z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.hypertable h ON h.id = c.hypertable_id
JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
