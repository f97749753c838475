package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.Sql;

/** A table by schema and name. */
public record TableRef(String schema, String name) {
  /** A table of these names, or null when either is null (a LEFT JOIN found nothing). */
  public static TableRef ofNullable(String schema, String name) {
    return schema == null || name == null ? null : new TableRef(schema, name);
  }

  /** {@code "schema"."name"}. */
  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }
}
