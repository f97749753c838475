-- The continuous aggregates refresh-caggs brings the target up to, with their watermarks on the
-- source (TimescaleDB's internal time: microseconds since the epoch, or the integer value): every
-- aggregate; or, with a filter, those whose "schema"."view" matches it (case-insensitive,
-- unanchored); with cascades also the aggregates built on them (up) and those they are built on
-- (down), recursively. Parameters: $1 filter or NULL, $2 cascade up, $3 cascade down.
-- Catalog names have collation "C", under which ~* folds ASCII letters only: the database's
-- default collation lets a filter match "ü" with "Ü" as well.
WITH RECURSIVE seed AS (
  SELECT c.mat_hypertable_id, c.raw_hypertable_id FROM _timescaledb_catalog.continuous_agg c
  WHERE $1::text IS NULL OR format('%I.%I', c.user_view_schema, c.user_view_name) COLLATE "default" ~* $1::text
), up AS (
  SELECT c.mat_hypertable_id FROM seed s
  JOIN _timescaledb_catalog.continuous_agg c ON c.raw_hypertable_id = s.mat_hypertable_id
  WHERE $1::text IS NOT NULL AND $2::bool
  UNION
  SELECT c.mat_hypertable_id FROM up u
  JOIN _timescaledb_catalog.continuous_agg c ON c.raw_hypertable_id = u.mat_hypertable_id
), down AS (
  SELECT c.mat_hypertable_id, c.raw_hypertable_id FROM seed s
  JOIN _timescaledb_catalog.continuous_agg c ON c.mat_hypertable_id = s.raw_hypertable_id
  WHERE $1::text IS NOT NULL AND $3::bool
  UNION
  SELECT c.mat_hypertable_id, c.raw_hypertable_id FROM down d
  JOIN _timescaledb_catalog.continuous_agg c ON c.mat_hypertable_id = d.raw_hypertable_id
), matched AS (
  SELECT mat_hypertable_id FROM seed
  UNION SELECT mat_hypertable_id FROM up
  UNION SELECT mat_hypertable_id FROM down
)
SELECT c.user_view_schema::text AS view_schema, c.user_view_name::text AS view_name, w.watermark
FROM matched m
JOIN _timescaledb_catalog.continuous_agg c ON c.mat_hypertable_id = m.mat_hypertable_id
JOIN _timescaledb_catalog.continuous_aggs_watermark w ON w.mat_hypertable_id = c.mat_hypertable_id
ORDER BY 1, 2
