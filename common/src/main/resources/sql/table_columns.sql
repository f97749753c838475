-- A table's columns in order, without dropped ones; no rows when the table does not exist. type_name
-- is the type's schema-qualified catalog name, as the original's messages show it.
-- Parameters: $1 schema, $2 table.
SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
       format('%s.%s', tn.nspname, t.typname) AS type_name,
       a.attgenerated <> '' AS generated, a.attnotnull AS not_null
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text))
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
