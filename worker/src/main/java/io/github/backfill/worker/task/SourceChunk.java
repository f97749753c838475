package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;

/** A task's source chunk as it is now; {@code compressedName} null when it is not compressed. */
public record SourceChunk(String schema, String name, String compressedSchema, String compressedName) {
  public boolean compressed() {
    return compressedName != null;
  }

  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }

  public String compressedQualifiedName() {
    return Sql.qualified(compressedSchema, compressedName);
  }
}
