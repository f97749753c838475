# Shared by the benchmark scripts (sourced, not run): databases, the target's skeleton, medians.
# Expects the working directory to be the repository's root.

# psql (PostgreSQL 17, from the local servers' chroot) on a URL.
psql_on() {
  local url=$1; shift
  PGOPTIONS='-c client_min_messages=error' scripts/timescaledb pg_bin psql -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# The URL $1 with its database replaced by $2.
with_db() { printf '%s' "$1" | sed -E "s#/[^/?]*(\?|$)#/$2\1#"; }

# Drops and creates database $3 with TimescaleDB on the servers of admin URLs $1 and $2; prints the
# source's and the target's URL of it, one per line.
fresh_databases() {
  local source_admin=$1 target_admin=$2 name=$3 url
  for url in "$source_admin" "$target_admin"; do
    psql_on "$url" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
    psql_on "$(with_db "$url" "$name")" -c "CREATE EXTENSION timescaledb"
  done
  with_db "$source_admin" "$name"; echo
  with_db "$target_admin" "$name"; echo
}

# The target's skeleton from a schema dump of the source, as the migration makes it.
skeleton() {
  local src=$1 tgt=$2
  scripts/timescaledb pg_bin pg_dump -d "$src" --format=plain --exclude-table-data='_timescaledb_internal.*' \
    --quote-all-identifiers --no-tablespaces --no-owner --no-privileges 2>/dev/null \
    | sed '/^CREATE EXTENSION IF NOT EXISTS "timescaledb"/d' \
    | { echo "SELECT public.timescaledb_pre_restore();"; cat; echo "SELECT public.timescaledb_post_restore();"; } \
    | psql_on "$tgt" -f - >/dev/null
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# psql (PostgreSQL 17) started straight from the local servers' chroot, for the reference pipes:
# they start two a chunk, and scripts/timescaledb's wrapper would add its few milliseconds to each.
bench_chroot=$(realpath -m -- "${BACKFILL_CACHE:-/var/tmp/timescaledb-backfill}")/trixie
bench_postgres_ids=$(stat -c %u:%g "$bench_chroot/var/lib/postgresql" 2>/dev/null || true)
psql17() {
  chroot --userspec="$bench_postgres_ids" "$bench_chroot" /usr/lib/postgresql/17/bin/psql -X -q -v ON_ERROR_STOP=1 "$@"
}

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# Fills database URL $1 with table st: $2 chunks of one hour, one row each, 200 chunks a transaction
# (a transaction's chunk locks stay under max_locks_per_transaction), newest first: TimescaleDB
# creates a chunk older than all the others about twice as fast at 20,000 chunks as a newer one.
stage_source() {
  local url=$1 n=$2
  psql_on "$url" >/dev/null <<SQL
CREATE TABLE st (time timestamptz NOT NULL, value int);
SELECT create_hypertable('st', 'time', chunk_time_interval => interval '1 hour');
DO \$\$ BEGIN
  FOR b IN REVERSE ($n - 1) / 200 .. 0 LOOP
    INSERT INTO st SELECT '2024-01-01'::timestamptz + g * interval '1 hour', g FROM generate_series(b * 200, least(b * 200 + 199, $n - 1)) g;
    COMMIT;
  END LOOP;
END \$\$;
SQL
}
