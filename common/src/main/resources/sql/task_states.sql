-- Tasks the coordinator handed out long ago without hearing back: whether each is done by now (its
-- report was lost) and what it recorded. Parameters: $1 priorities, $2 true for verify tasks.
SELECT t.priority,
       CASE WHEN $2::bool THEN t.verified IS NOT NULL ELSE t.worked IS NOT NULL END AS done,
       coalesce((to_jsonb(t) ->> 'copied_rows')::bigint, 0) AS rows,
       coalesce((to_jsonb(t) ->> 'copied_bytes')::bigint, 0) AS bytes,
       (to_jsonb(t) ->> 'verify_ok')::boolean AS verify_ok,
       CASE WHEN $2::bool THEN t.verify_message ELSE t.copy_message END AS message,
       format('%I.%I', t.chunk_schema, t.chunk_name) AS chunk
FROM __backfill.task t
WHERE t.priority = ANY($1::bigint[])
