package io.github.backfill.coordinator.stage;

/** One dimension's range of a chunk, in TimescaleDB's internal values; the end is exclusive. */
public record Slice(String column, long start, long end) {
  public boolean overlaps(Slice other) {
    return start < other.end && other.start < end;
  }
}
