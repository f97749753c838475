-- Chunks copied and verified per worker node: copied_by and verified_by are NODE/SLOT. Reads them
-- through to_jsonb, so that a schema left by an older release, which lacks them, reads as well.
-- Parameters: none.
SELECT node, sum(copied)::bigint AS copied, sum(verified)::bigint AS verified
FROM (SELECT regexp_replace(to_jsonb(t) ->> 'copied_by', '/[^/]*$', '') AS node, 1 AS copied, 0 AS verified
      FROM __backfill.task t WHERE t.worked IS NOT NULL AND to_jsonb(t) ->> 'copied_by' IS NOT NULL
      UNION ALL
      SELECT regexp_replace(to_jsonb(t) ->> 'verified_by', '/[^/]*$', ''), 0, 1
      FROM __backfill.task t WHERE t.verified IS NOT NULL AND to_jsonb(t) ->> 'verified_by' IS NOT NULL) AS done
GROUP BY node
ORDER BY node
