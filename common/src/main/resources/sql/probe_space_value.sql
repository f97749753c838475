-- A value of a hash-partitioned column that falls into the slice [$1, $2). COLUMN_TYPE is replaced by
-- the column's type as regtype prints it. Parameters: $1 slice start, $2 slice end.
SELECT v::COLUMN_TYPE::text AS value
FROM generate_series(0, 1000000) v
WHERE _timescaledb_functions.get_partition_hash(v::COLUMN_TYPE) >= $1::bigint
  AND _timescaledb_functions.get_partition_hash(v::COLUMN_TYPE) < $2::bigint
LIMIT 1
