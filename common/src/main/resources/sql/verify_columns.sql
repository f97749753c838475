-- The columns verify summarises, by name: every column gets count; min and max where pg_catalog has
-- them for exactly its type (collatable ones compared in the "C" collation); sum for integer,
-- numeric, interval and money columns (float sums depend on the order of addition).
-- Parameters (JDBC): 1 table schema, 2 table name.
SELECT a.attname::text AS name,
       EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace
               AND p.proname = 'min' AND p.prokind = 'a'
               AND p.proargtypes[0] = a.atttypid) AS has_min_max,
       a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                      'interval'::regtype, 'money'::regtype) AS has_sum,
       t.typcollation <> 0 AS collatable
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = to_regclass(format('%I.%I', ?::text, ?::text))
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attname
