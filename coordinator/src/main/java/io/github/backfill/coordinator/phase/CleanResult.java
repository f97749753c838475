package io.github.backfill.coordinator.phase;

/** What {@code clean} did: {@code removed} is false when there was no schema to remove. */
public record CleanResult(boolean removed) {
  public String summary() {
    return removed
        ? "Removed backfill administrative schema from target database"
        : "Nothing to clean: the target database has no backfill administrative schema (__backfill).";
  }
}
