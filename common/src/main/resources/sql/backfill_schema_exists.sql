-- Whether the administrative schema __backfill exists, and whether its task table already has every
-- column of this tool's version (else init_backfill_schema.sql upgrades it). Parameters: none.
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '__backfill') AS present,
       EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = to_regclass('__backfill.task') AND attname = 'verified_by'
                 AND NOT attisdropped) AS current
