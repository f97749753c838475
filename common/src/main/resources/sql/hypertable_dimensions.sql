-- A hypertable's dimensions in order: open (time) ones with their interval, closed (space) ones with
-- their number of partitions and partitioning function, and an integer time dimension's "now"
-- function. Parameters: $1 hypertable id.
SELECT d.column_name::text, d.column_type::text, d.interval_length, d.num_slices,
       CASE WHEN d.partitioning_func IS NULL THEN ''
            ELSE format('%I.%I', d.partitioning_func_schema, d.partitioning_func) END AS partitioning_func,
       CASE WHEN d.integer_now_func IS NULL THEN ''
            ELSE format('%I.%I', d.integer_now_func_schema, d.integer_now_func) END AS integer_now_func
FROM _timescaledb_catalog.dimension d
WHERE d.hypertable_id = $1
ORDER BY d.id
