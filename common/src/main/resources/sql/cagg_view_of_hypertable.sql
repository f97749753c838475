-- The continuous aggregate whose materialization hypertable this is, if any.
-- Parameters (JDBC): 1 hypertable schema, 2 hypertable name.
SELECT ca.user_view_schema::text, ca.user_view_name::text
FROM _timescaledb_catalog.continuous_agg ca
JOIN _timescaledb_catalog.hypertable h ON h.id = ca.mat_hypertable_id
WHERE h.schema_name = ? AND h.table_name = ?
