-- Whether a chunk still exists, not dropped. Parameters (JDBC): 1 chunk schema, 2 chunk name.
SELECT EXISTS (SELECT 1 FROM _timescaledb_catalog.chunk
               WHERE schema_name = ? AND table_name = ? AND NOT dropped) AS present
