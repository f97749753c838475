-- Lets TimescaleDB create a chunk's compressed chunk by compressing the chunk (staged chunks about to
-- receive compressed batches). Parameters: $1 chunk ("schema"."table").
SELECT public.compress_chunk($1::text::regclass, if_not_compressed => true)
