-- What `schema` creates on the target, on either side: the ordinary and partitioned tables (not
-- partitions, not an extension's own) outside PostgreSQL's, TimescaleDB's and this tool's schemas,
-- each with whether it is a hypertable, and the continuous aggregates by their view; also the other
-- views and materialized views (kind 'view'), which a filtered dump leaves out. Those whose
-- "schema"."name" the filter matches (case-insensitive, unanchored), or all without one. Aggregates
-- come last, in the order TimescaleDB made them (an aggregate on an aggregate after its parent).
-- owned_sequences: the sequences a table owns (serial and identity columns), "schema"."name" as
-- pg_dump's patterns take an exact name.
-- Catalog names have collation "C", under which ~* folds ASCII letters only: the database's
-- default collation lets a filter match "ü" with "Ü" as well. Parameters: $1 filter or NULL.
SELECT n.nspname::text AS schema_name, c.relname::text AS name,
       CASE WHEN ca.mat_hypertable_id IS NOT NULL THEN 'continuous aggregate'
            WHEN h.id IS NOT NULL THEN 'hypertable' WHEN c.relkind IN ('v', 'm') THEN 'view'
            ELSE 'table' END AS kind,
       coalesce(ca.mat_hypertable_id, h.id) AS hypertable_id,
       -- TimescaleDB's information views: the catalog's compression_state stays 0 from 2.29 on.
       coalesce((SELECT i.compression_enabled FROM timescaledb_information.hypertables i
                 WHERE i.hypertable_schema = n.nspname AND i.hypertable_name = c.relname),
                (SELECT i.compression_enabled FROM timescaledb_information.continuous_aggregates i
                 WHERE i.view_schema = n.nspname AND i.view_name = c.relname), false) AS compressed,
       ca.materialized_only,
       ARRAY(SELECT format('"%s"."%s"', replace(sn.nspname, '"', '""'), replace(s.relname, '"', '""'))
             FROM pg_depend d
             JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
             JOIN pg_namespace sn ON sn.oid = s.relnamespace
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS owned_sequences
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN _timescaledb_catalog.hypertable h ON h.schema_name = n.nspname AND h.table_name = c.relname
LEFT JOIN _timescaledb_catalog.continuous_agg ca
  ON ca.user_view_schema = n.nspname AND ca.user_view_name = c.relname
WHERE (c.relkind IN ('r', 'p') AND NOT c.relispartition OR c.relkind IN ('v', 'm'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', '_timescaledb_catalog',
                        '_timescaledb_internal', '_timescaledb_functions', '_timescaledb_config',
                        '_timescaledb_cache', '_timescaledb_debug', 'timescaledb_information',
                        'timescaledb_experimental', '__backfill')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND ($1::text IS NULL OR format('%I.%I', n.nspname, c.relname) COLLATE "default" ~* $1::text)
ORDER BY ca.mat_hypertable_id NULLS FIRST, 1, 2
