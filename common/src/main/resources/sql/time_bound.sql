-- A --until or --from value as TimescaleDB's internal time (microseconds since the epoch for time
-- types, the value itself for integers) and as a literal for edge filters. TIME_TYPE is replaced by
-- one of timestamptz, timestamp, date, smallint, integer, bigint. Parameters: $1 the value.
SELECT _timescaledb_functions.time_to_internal($1::text::TIME_TYPE) AS internal,
       format('%L', $1::text::TIME_TYPE) AS literal
