-- Finds a hypertable by its name, or for a continuous aggregate by its view's name, and says whether
-- a relation of that name exists at all. Parameters: $1 schema, $2 table or view name, $3 whether it
-- names a continuous aggregate's view.
SELECT h.id, h.schema_name::text, h.table_name::text,
       to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL AS relation_exists
FROM (SELECT 1) one
LEFT JOIN _timescaledb_catalog.continuous_agg ca
       ON $3::bool AND ca.user_view_schema = $1::text AND ca.user_view_name = $2::text
LEFT JOIN _timescaledb_catalog.hypertable h
       ON CASE WHEN $3::bool THEN h.id = ca.mat_hypertable_id
               ELSE h.schema_name = $1::text AND h.table_name = $2::text END
