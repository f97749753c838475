-- A continuous aggregate's materialization hypertable, by its view.
-- Parameters: $1 view schema, $2 view name.
SELECT h.schema_name::text, h.table_name::text
FROM _timescaledb_catalog.continuous_agg ca
JOIN _timescaledb_catalog.hypertable h ON h.id = ca.mat_hypertable_id
WHERE ca.user_view_schema = $1::text AND ca.user_view_name = $2::text
