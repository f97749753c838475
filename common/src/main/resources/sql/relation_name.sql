-- The schema and name of a relation given by oid. Parameters: $1 oid.
SELECT n.nspname::text AS schema_name, c.relname::text AS table_name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = $1::bigint::oid
