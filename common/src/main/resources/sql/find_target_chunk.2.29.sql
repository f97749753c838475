-- TimescaleDB 2.29 and later: chunks known by relid, each owning its slices; a compressed relation is named by its chunk's compression_settings.
-- The target chunk with exactly the task's slice in every dimension (matching is by slices, never by
-- name), its status, its compressed relation if any, and its hypertable. Parameters (JDBC): 1 the
-- task's dimensions (JSON), 2 target hypertable id, 3 the dimensions again.
SELECT cn.nspname::text AS chunk_schema, cr.relname::text AS chunk_name, c.status,
       zn.nspname::text AS compressed_schema, zr.relname::text AS compressed_name,
       format('%I.%I', h.schema_name, h.table_name) AS hypertable
FROM _timescaledb_catalog.dimension d
JOIN _timescaledb_catalog.hypertable h ON h.id = d.hypertable_id
JOIN jsonb_to_recordset(?::jsonb) i(column_name name, column_type regtype, range_start bigint, range_end bigint)
  ON i.column_name = d.column_name AND i.column_type = d.column_type
JOIN _timescaledb_catalog.dimension_slice ds
  ON ds.dimension_id = d.id AND ds.range_start = i.range_start AND ds.range_end = i.range_end
JOIN _timescaledb_catalog.chunk c ON c.id = ds.chunk_id
JOIN pg_class cr ON cr.oid = c.relid
JOIN pg_namespace cn ON cn.oid = cr.relnamespace
LEFT JOIN _timescaledb_catalog.compression_settings cs ON cs.relid = c.relid
LEFT JOIN pg_class zr ON zr.oid = cs.compress_relid
LEFT JOIN pg_namespace zn ON zn.oid = zr.relnamespace
WHERE d.hypertable_id = ?
GROUP BY c.id, cn.nspname, cr.relname, c.status, zn.nspname, zr.relname, h.schema_name, h.table_name
HAVING count(DISTINCT ds.id) = jsonb_array_length(?::jsonb)
