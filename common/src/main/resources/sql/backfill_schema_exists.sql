-- Whether the administrative schema __backfill exists. Parameters: none.
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '__backfill') AS present
