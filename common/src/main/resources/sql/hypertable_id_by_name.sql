-- A hypertable's id by its name. Parameters (JDBC): 1 schema, 2 table.
SELECT id FROM _timescaledb_catalog.hypertable WHERE schema_name = ? AND table_name = ?
