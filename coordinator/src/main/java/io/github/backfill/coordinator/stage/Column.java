package io.github.backfill.coordinator.stage;

import io.vertx.sqlclient.Row;

/** A table column as stage compares them between source and target. */
public record Column(String name, String type, String typeName, boolean generated, boolean notNull) {
  /** A row of {@code table_columns.sql}. */
  public static Column of(Row r) {
    return new Column(
        r.getString("name"),
        r.getString("type"),
        r.getString("type_name"),
        r.getBoolean("generated"),
        r.getBoolean("not_null"));
  }

  /** For messages, in the original's words: {@code time timestamp with time zone (pg_catalog.timestamptz)}. */
  public String describe() {
    return name + " " + type + " (" + typeName + ")" + (generated ? " (generated)" : "");
  }

  /** Name, type and generated-ness: what must agree for COPY with explicit column lists. */
  public String signature() {
    return name + "\u0000" + type + "\u0000" + generated;
  }
}
