-- TimescaleDB 2.17 to 2.25: chunks named in the catalog, slices through chunk_constraint, dropped chunks kept.
-- Every live chunk of a hypertable with its slice in each dimension, keyed by column name, and
-- its compressed chunk, if any.
-- Parameters: $1 hypertable id.
SELECT c.schema_name::text AS chunk_schema, c.table_name::text AS chunk_name,
       z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name,
       json_agg(json_build_object('column_name', d.column_name,
                                  'range_start', s.range_start,
                                  'range_end', s.range_end))::text AS slices
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.chunk_constraint cc ON cc.chunk_id = c.id
JOIN _timescaledb_catalog.dimension_slice s ON s.id = cc.dimension_slice_id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
LEFT JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
WHERE c.hypertable_id = $1 AND NOT c.dropped
GROUP BY c.id, c.schema_name, c.table_name, z.schema_name, z.table_name
