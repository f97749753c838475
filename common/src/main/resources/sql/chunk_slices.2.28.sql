-- TimescaleDB 2.28: chunks named in the catalog, each owning its slices (dimension_slice.chunk_id).
-- One chunk's slice in each dimension, keyed by column name. Parameters: $1 chunk schema, $2 chunk name.
SELECT json_agg(json_build_object('column_name', d.column_name,
                                  'range_start', s.range_start,
                                  'range_end', s.range_end))::text AS slices
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.dimension_slice s ON s.chunk_id = c.id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
WHERE c.schema_name = $1::text AND c.table_name = $2::text
