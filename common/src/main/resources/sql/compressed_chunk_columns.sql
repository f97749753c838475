-- A compressed chunk's columns in order, as its DDL needs them: type with modifiers, storage,
-- statistics target, nullability and a collation other than the type's.
-- Parameters: $1 schema, $2 table.
SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
       CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                         ELSE 'EXTENDED' END AS storage,
       a.attstattarget AS statistics, a.attnotnull AS not_null,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN format('%I.%I', cn.nspname, co.collname) END AS collation
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
