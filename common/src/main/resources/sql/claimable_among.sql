-- Which of these tasks are still to do and held by no session: nobody works on them, though the
-- coordinator handed them out (the assignment, or the worker, was lost). The row locks last only for
-- this statement. Parameters: $1 priorities, $2 true for verify tasks.
SELECT priority FROM __backfill.task
WHERE priority = ANY($1::bigint[])
  AND CASE WHEN $2::bool THEN worked IS NOT NULL AND verified IS NULL ELSE worked IS NULL END
FOR NO KEY UPDATE SKIP LOCKED
