-- Stages one chunk; a chunk staged before is left alone. Parameters: $1 chunk schema, $2 chunk name,
-- $3 hypertable schema, $4 hypertable name, $5 dimensions (JSON), $6 edge filter or NULL,
-- $7 snapshot or NULL, $8 --until, $9 --from or NULL.
INSERT INTO __backfill.task
  (chunk_schema, chunk_name, hypertable_schema, hypertable_name, dimensions, filter, snapshot,
   until_bound, from_bound)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text::jsonb, $6::text, $7::text, $8::text, $9::text)
ON CONFLICT DO NOTHING
