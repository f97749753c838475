-- TimescaleDB 2.17 to 2.27: no setting for it (2.17 to 2.23 log through a trigger on each chunk, which the copy drops).
-- Keeps the copy transaction's writes out of the continuous-aggregate invalidation log: here a no-op.
-- Parameters: none.
SELECT NULL::text AS skip_cagg_invalidation
