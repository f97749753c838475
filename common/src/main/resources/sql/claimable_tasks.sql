-- The tasks still to do that no session holds right now, in order: copy (not copied) or verify
-- (copied, not verified). The row locks last only for this statement. Parameters: $1 true for verify
-- tasks.
SELECT priority FROM __backfill.task
WHERE CASE WHEN $1::bool THEN worked IS NOT NULL AND verified IS NULL ELSE worked IS NULL END
ORDER BY priority
FOR NO KEY UPDATE SKIP LOCKED
