-- How many rows a compressed chunk's batches hold. Parameters: none; TABLE is replaced by the
-- compressed chunk's quoted name.
SELECT coalesce(sum(_ts_meta_count), 0) AS rows FROM ONLY TABLE
