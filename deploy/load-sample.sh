#!/usr/bin/env bash
# The compose demo's loader: sample data on the source, then the target's skeleton from a schema dump,
# as the dual-write-and-backfill migration makes it.
set -euo pipefail
psql -v ON_ERROR_STOP=1 "$SOURCE" <<'SQL'
CREATE TABLE IF NOT EXISTS metrics (time timestamptz NOT NULL, device_id int NOT NULL, cpu float8, mem float8);
SELECT create_hypertable('metrics', 'time', chunk_time_interval => interval '1 day', if_not_exists => true);
INSERT INTO metrics SELECT t, d, random() * 100, random() * 64
  FROM generate_series(now() - interval '30 days', now() - interval '1 hour', interval '10 seconds') t,
       generate_series(1, 10) d
  WHERE NOT EXISTS (SELECT 1 FROM metrics LIMIT 1);
SQL
if [ "$(psql -At "$TARGET" -c "SELECT count(*) FROM timescaledb_information.hypertables")" = 0 ]; then
  pg_dump "$SOURCE" --format=plain --exclude-table-data='_timescaledb_internal.*' --quote-all-identifiers \
      --no-tablespaces --no-owner --no-privileges \
    | sed '/^CREATE EXTENSION IF NOT EXISTS "timescaledb"/d' \
    | { echo "SELECT public.timescaledb_pre_restore();"; cat; echo "SELECT public.timescaledb_post_restore();"; } \
    | psql -v ON_ERROR_STOP=1 -q "$TARGET"
fi
