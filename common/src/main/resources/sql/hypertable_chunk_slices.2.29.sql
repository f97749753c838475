-- TimescaleDB 2.29 and later: chunks known by relid, each owning its slices; a compressed relation is named by its chunk's compression_settings.
-- Every chunk of a hypertable with its slice in each dimension, keyed by column name, and its
-- compressed relation, if any.
-- Parameters: $1 hypertable id.
SELECT cn.nspname::text AS chunk_schema, cr.relname::text AS chunk_name,
       zn.nspname::text AS compressed_schema, zr.relname::text AS compressed_name,
       json_agg(json_build_object('column_name', d.column_name,
                                  'range_start', s.range_start,
                                  'range_end', s.range_end))::text AS slices
FROM _timescaledb_catalog.chunk c
JOIN pg_class cr ON cr.oid = c.relid
JOIN pg_namespace cn ON cn.oid = cr.relnamespace
JOIN _timescaledb_catalog.dimension_slice s ON s.chunk_id = c.id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
LEFT JOIN _timescaledb_catalog.compression_settings cs ON cs.relid = c.relid
LEFT JOIN pg_class zr ON zr.oid = cs.compress_relid
LEFT JOIN pg_namespace zn ON zn.oid = zr.relnamespace
WHERE c.hypertable_id = $1
GROUP BY c.id, cn.nspname, cr.relname, zn.nspname, zr.relname
