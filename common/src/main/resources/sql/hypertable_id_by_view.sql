-- The materialization hypertable's id of a continuous aggregate, by the aggregate's view name.
-- Parameters (JDBC): 1 view schema, 2 view name.
SELECT mat_hypertable_id AS id FROM _timescaledb_catalog.continuous_agg
WHERE user_view_schema = ? AND user_view_name = ?
