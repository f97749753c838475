-- TimescaleDB 2.28: chunks named in the catalog, each owning its slices.
-- Every chunk's slice in each dimension, for tests to compare source and target by.
SELECT h.table_name::text AS hypertable_name, c.table_name::text AS chunk_name,
       d.column_name::text AS column_name, s.range_start, s.range_end
FROM _timescaledb_catalog.chunk c
JOIN _timescaledb_catalog.hypertable h ON h.id = c.hypertable_id
JOIN _timescaledb_catalog.dimension_slice s ON s.chunk_id = c.id
JOIN _timescaledb_catalog.dimension d ON d.id = s.dimension_id
