-- A continuous aggregate's query, every name in it schema-qualified (read with an empty search_path),
-- as CREATE MATERIALIZED VIEW takes it. Parameters: $1 view schema, $2 view name.
SELECT view_definition
FROM timescaledb_information.continuous_aggregates
WHERE view_schema = $1::text AND view_name = $2::text
