-- The server's PostgreSQL and TimescaleDB versions and TimescaleDB's license (NULL when TimescaleDB is
-- not installed in this database). Parameters: none.
SELECT current_setting('server_version_num')::int AS server_version_num,
       current_setting('server_version') AS server_version,
       (SELECT extversion::text FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb_version,
       current_setting('timescaledb.license', true) AS license,
       current_database() AS database
