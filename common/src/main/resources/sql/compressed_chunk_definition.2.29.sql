-- TimescaleDB 2.29 and later: a compressed relation is no chunk; its chunk's compression_settings name it, and its sizes are the chunk's.
-- What else a compressed chunk's DDL needs: its storage parameters, its indexes' shape (the part of
-- each definition from USING on), and the sizes TimescaleDB recorded when it compressed the chunk.
-- Parameters: $1 schema, $2 table.
SELECT coalesce(array_to_string(r.reloptions, ', '), '') AS reloptions,
       coalesce((SELECT array_agg(substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$') ORDER BY i.indexrelid)
                 FROM pg_index i WHERE i.indrelid = r.oid), '{}') AS indexes,
       coalesce(s.uncompressed_heap_size, 0) AS uncompressed_heap_size,
       coalesce(s.uncompressed_toast_size, 0) AS uncompressed_toast_size,
       coalesce(s.uncompressed_index_size, 0) AS uncompressed_index_size,
       coalesce(s.compressed_heap_size, 0) AS compressed_heap_size,
       coalesce(s.compressed_toast_size, 0) AS compressed_toast_size,
       coalesce(s.compressed_index_size, 0) AS compressed_index_size,
       coalesce(s.numrows_pre_compression, 0) AS numrows_pre_compression,
       coalesce(s.numrows_post_compression, 0) AS numrows_post_compression
FROM pg_class r
JOIN pg_namespace n ON n.oid = r.relnamespace
LEFT JOIN _timescaledb_catalog.compression_settings cs ON cs.compress_relid = r.oid::regclass
LEFT JOIN _timescaledb_catalog.chunk ch ON ch.relid = cs.relid
LEFT JOIN _timescaledb_catalog.compression_chunk_size s ON s.chunk_id = ch.id
WHERE n.nspname = $1::text AND r.relname = $2::text
