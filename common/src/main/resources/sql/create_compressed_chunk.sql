-- Registers a compressed chunk table as the compressed part of a chunk, with the source's sizes;
-- the chunk is then marked compressed. Parameters: $1 chunk, $2 compressed chunk table (both
-- "schema"."table"), $3..$10 the sizes and row counts of compressed_chunk_definition.sql.
SELECT _timescaledb_functions.create_compressed_chunk($1::text::regclass, $2::text::regclass,
       $3::bigint, $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint, $10::bigint)
