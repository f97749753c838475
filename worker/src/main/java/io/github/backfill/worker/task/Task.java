package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;

/** A claimed row of {@code __backfill.task}. */
public record Task(
    long priority,
    String chunkSchema,
    String chunkName,
    String hypertableSchema,
    String hypertableName,
    String dimensions,
    String filter) {

  /** The source chunk as the original prints it: {@code "schema"."name"}. */
  public String chunk() {
    return Sql.qualified(chunkSchema, chunkName);
  }

  /** {@code  WHERE <filter>}, or nothing. */
  public String whereClause() {
    return filter == null ? "" : " WHERE " + filter;
  }
}
