-- Marks a copy task done, in the transaction that copied its data. Parameters (JDBC): 1 message,
-- 2 rows, 3 bytes, 4 seconds, 5 the slot that copied it (NODE/SLOT), 6 priority.
UPDATE __backfill.task
SET worked = tstzrange(now(), clock_timestamp(), '[)'), copy_message = ?, copied_rows = ?,
    copied_bytes = ?, copy_seconds = ?, copied_by = ?, attempts = attempts + 1, last_error = NULL,
    last_error_at = NULL
WHERE priority = ?
