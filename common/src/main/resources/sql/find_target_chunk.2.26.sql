-- TimescaleDB 2.26 to 2.27: chunks named in the catalog, slices through chunk_constraint; dropped chunks leave the catalog.
-- The target chunk with exactly the task's slice in every dimension (matching is by slices, never by
-- name), its status, its compressed chunk if any, and its hypertable. Parameters (JDBC): 1 the task's
-- dimensions (JSON), 2 target hypertable id, 3 the dimensions again.
SELECT c.schema_name::text AS chunk_schema, c.table_name::text AS chunk_name, c.status,
       z.schema_name::text AS compressed_schema, z.table_name::text AS compressed_name,
       format('%I.%I', h.schema_name, h.table_name) AS hypertable
FROM _timescaledb_catalog.dimension d
JOIN _timescaledb_catalog.hypertable h ON h.id = d.hypertable_id
JOIN jsonb_to_recordset(?::jsonb) i(column_name name, column_type regtype, range_start bigint, range_end bigint)
  ON i.column_name = d.column_name AND i.column_type = d.column_type
JOIN _timescaledb_catalog.dimension_slice ds
  ON ds.dimension_id = d.id AND ds.range_start = i.range_start AND ds.range_end = i.range_end
JOIN _timescaledb_catalog.chunk_constraint cc ON cc.dimension_slice_id = ds.id
JOIN _timescaledb_catalog.chunk c ON c.id = cc.chunk_id
LEFT JOIN _timescaledb_catalog.chunk z ON z.id = c.compressed_chunk_id
WHERE d.hypertable_id = ?
GROUP BY c.id, c.schema_name, c.table_name, c.status, z.schema_name, z.table_name, h.schema_name, h.table_name
HAVING count(DISTINCT ds.id) = jsonb_array_length(?::jsonb)
