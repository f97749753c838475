-- The priorities of the tasks still to do, in order: copy (not copied) or verify (copied, not
-- verified). Parameters: $1 true for verify tasks.
SELECT priority FROM __backfill.task
WHERE CASE WHEN $1::bool THEN worked IS NOT NULL AND verified IS NULL ELSE worked IS NULL END
ORDER BY priority
