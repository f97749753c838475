package io.github.backfill.coordinator.stage;

/** A table column as stage compares them between source and target. */
public record Column(String name, String type, boolean generated, boolean notNull) {
  /** For messages, in the original's style: {@code time timestamp with time zone}. */
  public String describe() {
    return name + " " + type + (generated ? " (generated)" : "");
  }

  /** Name, type and generated-ness: what must agree for COPY with explicit column lists. */
  public String signature() {
    return name + "\u0000" + type + "\u0000" + generated;
  }
}
