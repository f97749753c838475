-- A time dimension's internal value as text of its type. TIME_TYPE is replaced by one of timestamptz,
-- timestamp, date, smallint, integer, bigint. Parameters: $1 internal value.
SELECT CASE 'TIME_TYPE'
         WHEN 'timestamptz' THEN _timescaledb_functions.to_timestamp($1::bigint)::text
         WHEN 'timestamp' THEN _timescaledb_functions.to_timestamp_without_timezone($1::bigint)::text
         WHEN 'date' THEN _timescaledb_functions.to_date($1::bigint)::text
         ELSE $1::bigint::text
       END AS value
