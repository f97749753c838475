-- How many tasks are staged, still to copy, and copied but still to verify. Parameters: none.
SELECT count(*) AS staged,
       count(*) FILTER (WHERE worked IS NULL) AS to_copy,
       count(*) FILTER (WHERE worked IS NOT NULL AND verified IS NULL) AS to_verify
FROM __backfill.task
