-- Creates a chunk with exactly the given slices (TimescaleDB with the TSL license only).
-- Parameters: $1 hypertable ("schema"."table"), $2 slices as {"column": [start, end], ...}.
SELECT schema_name::text AS chunk_schema, table_name::text AS chunk_name, created
FROM _timescaledb_functions.create_chunk($1::text::regclass, $2::text::jsonb)
