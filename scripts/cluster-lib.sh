# Shared by scripts/deployment-test and scripts/chaos-cluster (sourced, not run): looking at and
# freezing the containers of a deployed cluster. The caller defines log (one line to its log).

# docker pause, retried: on a busy machine runc can give up freezing a cgroup whose processes are
# mid-I/O ("OCI runtime pause failed: unable to freeze"), and leaves the retry to its caller
# (opencontainers/runc#4388, moby/moby#48205).
freeze() {
  local try error
  for try in 1 2 3 4 5 6 7 8 9 10; do
    error=$(docker pause "$1" 2>&1 >/dev/null) && return 0
    log "docker pause, try $try: $error"
    sleep 0.5
  done
  return 1
}

# Whether container $1 runs.
running() { [[ $(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null) == true ]]; }

# The worker nodes (addresses) with a COPY into the target running now, asked in the target's
# container $1 (docker exec: compose's own start-up would cost a second a look).
copying_nodes() {
  docker exec "$1" psql -X -At -U postgres -d app -c "SELECT DISTINCT substring(application_name FROM ' ([0-9.]+):5701/')
    FROM pg_stat_activity WHERE query LIKE 'COPY %FROM STDIN%' AND state = 'active' AND application_name ~ ' [0-9.]+:5701/'" 2>/dev/null || true
}
