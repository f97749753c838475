-- TimescaleDB's identifier of this database's installation: equal on source and target only when both
-- name the same database. Parameters: none.
SELECT value AS uuid FROM _timescaledb_catalog.metadata WHERE key = 'uuid'
