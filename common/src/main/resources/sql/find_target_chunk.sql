-- The target chunk with exactly the task's slice in every dimension (matching is by slices, never by
-- name). Parameters (JDBC): 1 the task's dimensions (JSON), 2 target hypertable id, 3 the dimensions
-- again.
SELECT c.schema_name::text AS chunk_schema, c.table_name::text AS chunk_name, c.status
FROM _timescaledb_catalog.dimension d
JOIN jsonb_to_recordset(?::jsonb) i(column_name name, column_type regtype, range_start bigint, range_end bigint)
  ON i.column_name = d.column_name AND i.column_type = d.column_type
JOIN _timescaledb_catalog.dimension_slice ds
  ON ds.dimension_id = d.id AND ds.range_start = i.range_start AND ds.range_end = i.range_end
JOIN _timescaledb_catalog.chunk_constraint cc ON cc.dimension_slice_id = ds.id
JOIN _timescaledb_catalog.chunk c ON c.id = cc.chunk_id AND NOT c.dropped
WHERE d.hypertable_id = ?
GROUP BY c.id, c.schema_name, c.table_name, c.status
HAVING count(DISTINCT ds.id) = jsonb_array_length(?::jsonb)
