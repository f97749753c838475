-- Drops the administrative schema and every task in it; chunks and their data stay. Parameters: none.
DROP SCHEMA __backfill CASCADE
