package io.github.backfill.coordinator.stage;

/**
 * A {@code --until} or {@code --from} value resolved for one time type.
 *
 * @param text as the user gave it
 * @param internal TimescaleDB's internal value: microseconds since the epoch, or the integer itself
 * @param literal a quoted SQL literal of the value, rendered in UTC and ISO style
 */
public record Bound(String text, long internal, String literal) {}
