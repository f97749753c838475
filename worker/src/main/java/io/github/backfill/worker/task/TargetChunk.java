package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;

/**
 * The target chunk with a task's slices.
 *
 * @param status TimescaleDB's status bits: 1 compressed, 2 unordered, 4 frozen, 8 partial
 * @param compressedSchema the schema of its compressed chunk, or null when it has none
 * @param hypertable its hypertable as {@code "schema"."table"}
 */
public record TargetChunk(
    String schema, String name, int status, String compressedSchema, String compressedName, String hypertable) {
  private static final int PARTIAL = 8;

  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }

  public boolean compressed() {
    return compressedName != null;
  }

  public String compressedQualifiedName() {
    return Sql.qualified(compressedSchema, compressedName);
  }

  /** Whether TimescaleDB reads uncompressed rows of this compressed chunk too. */
  public boolean partial() {
    return (status & PARTIAL) != 0;
  }
}
