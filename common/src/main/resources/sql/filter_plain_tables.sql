-- Ordinary tables and views that a filter matches although they are not hypertables, to explain an
-- empty stage. Parameters: $1 filter.
-- Catalog names have collation "C", under which ~* folds ASCII letters only: the database's
-- default collation lets a filter match "ü" with "Ü" as well.
SELECT format('%I.%I', n.nspname, c.relname) AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', '_timescaledb_catalog',
                        '_timescaledb_internal', '_timescaledb_functions', '_timescaledb_config',
                        '_timescaledb_cache', '_timescaledb_debug', 'timescaledb_information',
                        'timescaledb_experimental', '__backfill')
  AND format('%I.%I', n.nspname, c.relname) COLLATE "default" ~* $1::text
ORDER BY 1
LIMIT 10
