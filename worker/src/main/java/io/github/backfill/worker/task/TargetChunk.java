package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;

/** The target chunk with a task's slices. */
public record TargetChunk(String schema, String name, int status) {
  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }
}
