-- Records why a task failed, in a short transaction of its own after the task's was rolled back.
-- Parameters (JDBC): 1 error, 2 priority.
UPDATE __backfill.task SET attempts = attempts + 1, last_error = ?, last_error_at = now()
WHERE priority = ?
