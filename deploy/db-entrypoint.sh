#!/usr/bin/env bash
# The database image's entrypoint, after the official postgres image's: on the first start (an empty
# PGDATA) initdb with POSTGRES_PASSWORD (scram-sha-256 on TCP, trust on the container's own socket),
# TimescaleDB preloaded and created in POSTGRES_DB, /docker-entrypoint-initdb.d run; then the server
# with the command's flags. Anything that is not the server (bash, psql, ...) runs as given.
set -Eeuo pipefail

if [[ ${1:-} == -* ]]; then
  set -- postgres "$@"
fi
if [[ ${1:-} != postgres ]]; then
  exec "$@"
fi

if ((EUID == 0)); then
  install -d -o postgres -g postgres -m 0700 "$PGDATA"
  install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

psql_local() { psql -X -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password "$@"; }

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  if [[ -z ${POSTGRES_PASSWORD:-} && ${POSTGRES_HOST_AUTH_METHOD:-} != trust ]]; then
    echo 'Error: the database is uninitialized and POSTGRES_PASSWORD is not set.' >&2
    echo '  Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust, never in production).' >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
  cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
password_encryption = 'scram-sha-256'
CONF
  # A server on the socket alone while the database is prepared, as the official image does.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [[ $POSTGRES_DB != postgres ]]; then
    psql_local --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  # As timescale's images: the extension in template1 (every new database has it) and in POSTGRES_DB.
  for db in template1 "$POSTGRES_DB"; do
    psql_local --dbname "$db" -c 'CREATE EXTENSION IF NOT EXISTS timescaledb'
  done
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh) echo "running $f"; . "$f" ;;
      *.sql) echo "running $f"; psql_local --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | psql_local --dbname "$POSTGRES_DB" ;;
      *) [[ -e $f ]] && echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
