package io.github.backfill.coordinator.stage;

/** A table column as stage compares them between source and target. */
public record Column(String name, String type, String typeName, boolean generated, boolean notNull) {
  /** For messages, in the original's words: {@code time timestamp with time zone (pg_catalog.timestamptz)}. */
  public String describe() {
    return name + " " + type + " (" + typeName + ")" + (generated ? " (generated)" : "");
  }

  /** Name, type and generated-ness: what must agree for COPY with explicit column lists. */
  public String signature() {
    return name + "\u0000" + type + "\u0000" + generated;
  }
}
