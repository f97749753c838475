-- TimescaleDB 2.26 to 2.28: chunks named in the catalog, compressed chunks linked by id; dropped chunks leave the catalog.
-- A source chunk that still exists (no row when it was dropped), with its compressed chunk, if any.
-- Parameters (JDBC): 1 chunk schema, 2 chunk name.
SELECT z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name
FROM _timescaledb_catalog.chunk c
LEFT JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
WHERE c.schema_name = ? AND c.table_name = ?
