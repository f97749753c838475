-- TimescaleDB 2.29 and later: chunks known by relid, each owning its slices; a compressed relation is named by its chunk's compression_settings.
-- The chunks of one hypertable that hold rows before --until (and at or after --from), newest first,
-- with all their dimension slices and their compressed relation, if any; tiered (OSM) chunks left out.
-- Parameters: $1 hypertable id, $2 until (internal), $3 from (internal) or NULL.
SELECT cn.nspname::text AS chunk_schema, cr.relname::text AS chunk_name,
       ts.range_start, ts.range_end,
       zn.nspname::text AS compressed_schema, zr.relname::text AS compressed_name,
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
JOIN pg_class cr ON cr.oid = c.relid
JOIN pg_namespace cn ON cn.oid = cr.relnamespace
LEFT JOIN _timescaledb_catalog.compression_settings cs ON cs.relid = c.relid
LEFT JOIN pg_class zr ON zr.oid = cs.compress_relid
LEFT JOIN pg_namespace zn ON zn.oid = zr.relnamespace
WHERE td.id = (SELECT min(id) FROM _timescaledb_catalog.dimension WHERE hypertable_id = $1)
  AND c.hypertable_id = $1
  AND NOT c.osm_chunk
  AND ts.range_start < $2::bigint
  AND ($3::bigint IS NULL OR $3::bigint < ts.range_end)
ORDER BY ts.range_start DESC, c.id
