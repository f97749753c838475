-- The TimescaleDB release installed in this database (no row without the extension), which picks the
-- variant of every statement that reads its catalog. Parameters: none.
SELECT extversion::text AS version FROM pg_extension WHERE extname = 'timescaledb'
