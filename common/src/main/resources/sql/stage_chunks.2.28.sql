-- TimescaleDB 2.28: chunks named in the catalog, each owning its slices (dimension_slice.chunk_id).
-- The chunks of one hypertable that hold rows before --until (and at or after --from), newest first,
-- with all their dimension slices and their compressed chunk, if any; tiered (OSM) chunks left out.
-- Parameters: $1 hypertable id, $2 until (internal), $3 from (internal) or NULL.
SELECT c.schema_name::text AS chunk_schema, c.table_name::text AS chunk_name,
       ts.range_start, ts.range_end,
       z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name,
       (SELECT json_agg(json_build_object('column_name', d.column_name,
                                          'column_type', d.column_type::text,
                                          'range_start', s.range_start,
                                          'range_end', s.range_end) ORDER BY d.id)
          FROM _timescaledb_catalog.dimension_slice s
          JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
         WHERE s.chunk_id = c.id)::text AS dimensions
FROM _timescaledb_catalog.dimension td
JOIN _timescaledb_catalog.dimension_slice ts ON ts.dimension_id = td.id
JOIN _timescaledb_catalog.chunk c ON c.id = ts.chunk_id
LEFT JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
WHERE td.id = (SELECT min(id) FROM _timescaledb_catalog.dimension WHERE hypertable_id = $1)
  AND c.hypertable_id = $1
  AND NOT c.osm_chunk
  AND ts.range_start < $2::bigint
  AND ($3::bigint IS NULL OR $3::bigint < ts.range_end)
ORDER BY ts.range_start DESC, c.id
