-- A table's columns in order, without dropped ones; NULL rows when the table does not exist.
-- Parameters: $1 schema, $2 table.
SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attgenerated <> '' AS generated, a.attnotnull AS not_null
FROM pg_attribute a
WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text))
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
