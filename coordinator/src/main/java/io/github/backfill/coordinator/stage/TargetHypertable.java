package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.Sql;
import java.util.List;

/** The target's hypertable for a source hypertable, with its dimensions, columns and live chunks. */
public record TargetHypertable(
    int id,
    String schema,
    String name,
    List<Dimension> dimensions,
    List<Column> columns,
    List<ChunkRef> chunks) {

  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }
}
