-- Marks a verify task done with its outcome. Parameters (JDBC): 1 message, 2 whether both sides
-- agree, 3 the slot that verified it (NODE/SLOT), 4 priority.
UPDATE __backfill.task
SET verified = tstzrange(now(), clock_timestamp(), '[)'), verify_message = ?, verify_ok = ?,
    verified_by = ?, last_error = NULL, last_error_at = NULL
WHERE priority = ?
