-- The columns COPY moves, in the source's order: stored ones only (generated columns are computed by
-- the target), with whether binary COPY can carry each. Binary COPY fails for a type without binary
-- I/O, and for arrays and composites of user-defined types, whose binary form embeds type OIDs that
-- differ between databases. Between servers of different releases only PostgreSQL's own types
-- (below FirstNormalObjectId, 16384) and enums (sent as their labels) go in binary: an extension's
-- type may have changed its binary form between its versions. Parameters (JDBC): 1 whether both
-- servers run the same release, 2 table schema, 3 table name.
SELECT a.attname::text AS name,
       t.typsend::oid <> 0 AND t.typreceive::oid <> 0
         AND NOT (b.typcategory = 'A' AND b.typelem >= 16384)
         AND b.typtype <> 'c'
         AND (?::boolean OR b.oid < 16384 OR b.typtype = 'e'
              OR (b.typcategory = 'A' AND b.typelem < 16384)) AS binary_safe
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
WHERE a.attrelid = to_regclass(format('%I.%I', ?::text, ?::text))
  AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
ORDER BY a.attnum
