-- The hypertables stage considers, with their time (first) dimension: every hypertable, including
-- continuous-aggregate materialization hypertables; or, with a filter, those whose "schema"."table",
-- or whose aggregate's "schema"."view", matches it (case-insensitive, unanchored); with cascades also
-- the aggregates built on them (up) and what they are built on (down), recursively.
-- Catalog names have collation "C", under which ~* folds ASCII letters only: the database's
-- default collation lets a filter match "ü" with "Ü" as well.
-- Parameters: $1 filter or NULL, $2 cascade up, $3 cascade down.
WITH RECURSIVE seed AS (
  SELECT h.id FROM _timescaledb_catalog.hypertable h
  WHERE $1::text IS NULL OR format('%I.%I', h.schema_name, h.table_name) COLLATE "default" ~* $1::text
  UNION
  SELECT c.mat_hypertable_id FROM _timescaledb_catalog.continuous_agg c
  WHERE $1::text IS NOT NULL AND format('%I.%I', c.user_view_schema, c.user_view_name) COLLATE "default" ~* $1::text
), up AS (
  SELECT id FROM seed WHERE $2::bool
  UNION
  SELECT c.mat_hypertable_id FROM up JOIN _timescaledb_catalog.continuous_agg c ON c.raw_hypertable_id = up.id
), down AS (
  SELECT id FROM seed WHERE $3::bool
  UNION
  SELECT c.raw_hypertable_id FROM down JOIN _timescaledb_catalog.continuous_agg c ON c.mat_hypertable_id = down.id
), matched AS (
  SELECT id FROM seed UNION SELECT id FROM up UNION SELECT id FROM down
)
SELECT h.id, h.schema_name::text, h.table_name::text, d.column_name::text AS time_column,
       format('%I', d.column_name) AS time_column_sql,
       d.column_type::text AS time_type, ca.user_view_schema::text, ca.user_view_name::text,
       CASE WHEN ca.user_view_name IS NULL THEN format('%I.%I', h.schema_name, h.table_name)
            ELSE format('%I.%I', ca.user_view_schema, ca.user_view_name) END AS display_name
FROM matched m
JOIN _timescaledb_catalog.hypertable h ON h.id = m.id
JOIN LATERAL (
  SELECT column_name, column_type FROM _timescaledb_catalog.dimension
  WHERE hypertable_id = h.id ORDER BY id LIMIT 1
) d ON true
LEFT JOIN _timescaledb_catalog.continuous_agg ca ON ca.mat_hypertable_id = h.id
ORDER BY h.schema_name, h.table_name
