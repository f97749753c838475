-- The target's side of refresh-caggs: for each source aggregate (matched by view schema and name),
-- whether the target has it, its level in the target's hierarchy (0: built on a hypertable), and the
-- window from the target's watermark to the source's, rendered in the type of the materialization
-- hypertable's time dimension; behind is true where the target must be refreshed. Parents sort
-- before their children. Parameters: $1 the source watermarks, a JSON array of
-- {"view_schema", "view_name", "watermark"}.
WITH RECURSIVE src AS (
  SELECT s.view_schema, s.view_name, s.watermark
  FROM jsonb_to_recordset($1::text::jsonb) AS s(view_schema text, view_name text, watermark bigint)
), tree AS (
  SELECT 0 AS lvl, c.mat_hypertable_id, c.user_view_schema, c.user_view_name
  FROM _timescaledb_catalog.continuous_agg c
  WHERE c.parent_mat_hypertable_id IS NULL
  UNION ALL
  SELECT t.lvl + 1, c.mat_hypertable_id, c.user_view_schema, c.user_view_name
  FROM tree t
  JOIN _timescaledb_catalog.continuous_agg c ON c.parent_mat_hypertable_id = t.mat_hypertable_id
)
SELECT src.view_schema, src.view_name, t.lvl, t.mat_hypertable_id IS NOT NULL AS on_target,
       coalesce(w.watermark < src.watermark, false) AS behind,
       td.column_type::text AS time_type,
       CASE
         WHEN td.column_type = 'timestamp'::regtype
           THEN _timescaledb_functions.to_timestamp_without_timezone(w.watermark)::text
         WHEN td.column_type = 'timestamptz'::regtype
           THEN _timescaledb_functions.to_timestamp(w.watermark)::text
         WHEN td.column_type = 'date'::regtype THEN _timescaledb_functions.to_date(w.watermark)::text
         WHEN td.column_type IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype)
           THEN w.watermark::text
       END AS window_start,
       CASE
         WHEN td.column_type = 'timestamp'::regtype
           THEN _timescaledb_functions.to_timestamp_without_timezone(src.watermark)::text
         WHEN td.column_type = 'timestamptz'::regtype
           THEN _timescaledb_functions.to_timestamp(src.watermark)::text
         WHEN td.column_type = 'date'::regtype THEN _timescaledb_functions.to_date(src.watermark)::text
         WHEN td.column_type IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype)
           THEN src.watermark::text
       END AS window_end
FROM src
LEFT JOIN tree t ON t.user_view_schema = src.view_schema AND t.user_view_name = src.view_name
LEFT JOIN _timescaledb_catalog.continuous_aggs_watermark w ON w.mat_hypertable_id = t.mat_hypertable_id
LEFT JOIN LATERAL (
  SELECT d.column_type FROM _timescaledb_catalog.dimension d
  WHERE d.hypertable_id = t.mat_hypertable_id ORDER BY d.id LIMIT 1
) td ON true
ORDER BY t.lvl NULLS FIRST, w.watermark, src.view_schema, src.view_name
