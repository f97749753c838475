-- The tasks already staged, to skip or re-plan them on a new stage. Parameters: none.
SELECT chunk_schema::text, chunk_name::text, filter, worked IS NOT NULL AS copied FROM __backfill.task
