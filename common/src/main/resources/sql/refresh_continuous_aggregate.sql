-- Refreshes one continuous aggregate over [start, end). CALL refresh_continuous_aggregate cannot run
-- in a transaction block: run it alone, in autocommit. TIME_TYPE is replaced by one of timestamptz,
-- timestamp, date, smallint, integer, bigint: the type of the materialization hypertable's time
-- dimension. Parameters: $1 view schema, $2 view name, $3 window start, $4 window end, as text.
CALL refresh_continuous_aggregate(format('%I.%I', $1::text, $2::text)::regclass,
                                  $3::text::TIME_TYPE, $4::text::TIME_TYPE)
