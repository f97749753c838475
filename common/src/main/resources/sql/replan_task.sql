-- Re-plans a pending task for new bounds: a chunk that a new --until or --from now cuts differently.
-- Only tasks not yet copied. Parameters: $1 chunk schema, $2 chunk name, $3 edge filter or NULL,
-- $4 --until, $5 --from or NULL.
UPDATE __backfill.task SET filter = $3::text, until_bound = $4::text, from_bound = $5::text
WHERE chunk_schema = $1::text AND chunk_name = $2::text AND worked IS NULL
