-- TimescaleDB 2.17 to 2.25: chunks named in the catalog, slices through chunk_constraint, dropped chunks kept.
-- One chunk's slice in each dimension, keyed by column name. Parameters: $1 chunk schema, $2 chunk name.
SELECT json_agg(json_build_object('column_name', d.column_name,
                                  'range_start', s.range_start,
                                  'range_end', s.range_end))::text AS slices
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.chunk_constraint cc ON cc.chunk_id = c.id
JOIN _timescaledb_catalog.dimension_slice s ON s.id = cc.dimension_slice_id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
WHERE c.schema_name = $1::text AND c.table_name = $2::text AND NOT c.dropped
