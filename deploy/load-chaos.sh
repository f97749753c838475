#!/usr/bin/env bash
# scripts/chaos-cluster's loader: 11 one-day chunks of 8,640 rows (2024-01-01 to 2024-01-11) and the
# edge chunk's 4,320 rows up to --until (2024-01-12 12:00; the application dual-writes after it) on
# the source, the target's skeleton from a schema dump, and on the target a trigger that sleeps 25 ms
# every 100 rows, so that each chunk's COPY lasts about 2 s and a fault lands mid-copy.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -q "$SOURCE" <<'SQL'
CREATE TABLE metrics (time timestamptz NOT NULL, device_id int NOT NULL, cpu float8, mem float8);
SELECT create_hypertable('metrics', 'time', chunk_time_interval => interval '1 day');
INSERT INTO metrics SELECT t, 1, random() * 100, random() * 64
  FROM generate_series(timestamptz '2024-01-01 00:00:00+00', '2024-01-12 11:59:50+00', interval '10 seconds') t;
SQL
pg_dump "$SOURCE" --format=plain --exclude-table-data='_timescaledb_internal.*' --quote-all-identifiers \
    --no-tablespaces --no-owner --no-privileges \
  | sed '/^CREATE EXTENSION IF NOT EXISTS "timescaledb"/d' \
  | { echo "SELECT public.timescaledb_pre_restore();"; cat; echo "SELECT public.timescaledb_post_restore();"; } \
  | psql -v ON_ERROR_STOP=1 -q "$TARGET"
psql -v ON_ERROR_STOP=1 -q "$TARGET" <<'SQL'
CREATE SEQUENCE chaos_rows;
CREATE FUNCTION chaos_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF nextval('chaos_rows') % 100 = 0 THEN PERFORM pg_sleep(0.025); END IF; RETURN NEW; END $$;
CREATE TRIGGER chaos_slow BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION chaos_slow();
SQL
