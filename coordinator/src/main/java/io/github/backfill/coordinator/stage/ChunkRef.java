package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.Sql;
import java.util.Map;

/**
 * A chunk's table, its slices keyed by dimension column, and its compressed chunk (null when it has
 * none).
 */
public record ChunkRef(String schema, String name, Map<String, Slice> slices, TableRef compressed) {
  /** {@code "schema"."name"}, as messages and the original's output show a chunk. */
  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }

  /** Whether the two chunks cover the same ranges in every dimension. */
  public boolean sameSlicesAs(ChunkRef other) {
    return slices.equals(other.slices);
  }

  /** Whether the two chunks share some space in every dimension: they would collide. */
  public boolean overlaps(ChunkRef other) {
    if (!slices.keySet().equals(other.slices.keySet())) {
      return false;
    }
    return slices.entrySet().stream()
        .allMatch(e -> e.getValue().overlaps(other.slices.get(e.getKey())));
  }

  /** For messages: {@code time [1682553600000000, 1683158400000000), device_id [...)}. */
  public String describeSlices() {
    StringBuilder text = new StringBuilder();
    slices.values().forEach(
        s -> {
          if (text.length() > 0) {
            text.append(", ");
          }
          text.append(s.column()).append(" [").append(s.start()).append(", ").append(s.end()).append(')');
        });
    return text.toString();
  }
}
