-- TimescaleDB 2.29 and later: chunks known by relid, each owning its slices.
-- Every chunk's slice in each dimension, for tests to compare source and target by.
SELECT h.table_name::text AS hypertable_name, r.relname::text AS chunk_name,
       d.column_name::text AS column_name, s.range_start, s.range_end
FROM _timescaledb_catalog.chunk c
JOIN pg_class r ON r.oid = c.relid
JOIN _timescaledb_catalog.hypertable h ON h.id = c.hypertable_id
JOIN _timescaledb_catalog.dimension_slice s ON s.chunk_id = c.id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
