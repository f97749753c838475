-- Ends the sessions of a worker node the cluster lost: their application_name ends with
-- " NODE/SLOT". A frozen host's kernel still answers TCP keepalives, so its sessions and row locks
-- would never time out; ended, they roll back, the chunks are free for others, and a node that wakes
-- can commit nothing. Needs the same role as the workers' (or pg_signal_backend).
-- Parameters: $1 the node (its cluster address, host:port).
SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS ended
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND position(' ' || $1 || '/' IN application_name) > 0
