-- Claims a copy task for the current target transaction: the row lock is held until the chunk's
-- data and its "done" mark commit together. No row when another process holds it or it is done.
-- Parameters (JDBC): 1 priority.
SELECT priority, chunk_schema::text, chunk_name::text, hypertable_schema::text, hypertable_name::text,
       dimensions::text, filter
FROM __backfill.task
WHERE priority = ? AND worked IS NULL
FOR NO KEY UPDATE SKIP LOCKED
