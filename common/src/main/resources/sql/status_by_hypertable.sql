-- Progress per source hypertable. Reads this tool's extra columns through to_jsonb, so that a schema
-- left by the original tool, which lacks them, reads as well. display_name is quoted only where needed, as
-- --filter matches it. Parameters: none.
SELECT t.hypertable_schema::text AS schema_name, t.hypertable_name::text AS table_name,
       format('%I.%I', t.hypertable_schema, t.hypertable_name) AS display_name,
       count(*) AS staged,
       count(t.worked) AS copied,
       count(*) - count(t.worked) AS pending,
       count(*) FILTER (WHERE t.verified IS NOT NULL
                          AND coalesce((to_jsonb(t) ->> 'verify_ok')::boolean, true)) AS verified,
       count(*) FILTER (WHERE t.verified IS NOT NULL
                          AND NOT coalesce((to_jsonb(t) ->> 'verify_ok')::boolean, true)) AS verify_failed,
       coalesce(sum((to_jsonb(t) ->> 'copied_rows')::bigint), 0)::bigint AS rows,
       coalesce(sum((to_jsonb(t) ->> 'copied_bytes')::bigint), 0)::bigint AS bytes,
       (array_agg(to_jsonb(t) ->> 'last_error' ORDER BY to_jsonb(t) ->> 'last_error_at' DESC)
          FILTER (WHERE to_jsonb(t) ->> 'last_error' IS NOT NULL AND t.worked IS NULL))[1] AS last_error
FROM __backfill.task t
GROUP BY 1, 2, 3
ORDER BY 1, 2
