-- The schema TimescaleDB's functions live in (where CREATE EXTENSION put them), quoted.
-- Parameters: none.
SELECT quote_ident(n.nspname) AS schema_name
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'timescaledb'
