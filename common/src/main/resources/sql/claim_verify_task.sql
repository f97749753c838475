-- Claims a verify task (copied, not yet verified) for the current target transaction.
-- Parameters (JDBC): 1 priority.
SELECT priority, chunk_schema::text, chunk_name::text, hypertable_schema::text, hypertable_name::text,
       dimensions::text, filter
FROM __backfill.task
WHERE priority = ? AND worked IS NOT NULL AND verified IS NULL
FOR NO KEY UPDATE SKIP LOCKED
