-- A continuous aggregate's indexes (on its materialization hypertable): whether unique, and the
-- definition from its access method on, "btree (device_id, bucket DESC)", as CREATE INDEX ON the
-- aggregate's view takes it. Parameters: $1 view schema, $2 view name.
SELECT i.indisunique AS is_unique,
       regexp_replace(pg_get_indexdef(i.indexrelid), '^.*? USING ', '') AS definition
FROM _timescaledb_catalog.continuous_agg ca
JOIN _timescaledb_catalog.hypertable h ON h.id = ca.mat_hypertable_id
JOIN pg_index i ON i.indrelid = format('%I.%I', h.schema_name, h.table_name)::regclass
WHERE ca.user_view_schema = $1::text AND ca.user_view_name = $2::text
ORDER BY i.indexrelid
