-- Records the staging session, once: the table holds at most one row. Parameters: $1 session id.
INSERT INTO __backfill.session (id) VALUES ($1::uuid) ON CONFLICT DO NOTHING
