-- TimescaleDB 2.28: chunks named in the catalog, each owning its slices (dimension_slice.chunk_id).
-- Every chunk of a hypertable with its slice in each dimension, keyed by column name, and its
-- compressed chunk, if any.
-- Parameters: $1 hypertable id.
SELECT c.schema_name::text AS chunk_schema, c.table_name::text AS chunk_name,
       z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name,
       json_agg(json_build_object('column_name', d.column_name,
                                  'range_start', s.range_start,
                                  'range_end', s.range_end))::text AS slices
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.dimension_slice s ON s.chunk_id = c.id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
LEFT JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
WHERE c.hypertable_id = $1
GROUP BY c.id, c.schema_name, c.table_name, z.schema_name, z.table_name
