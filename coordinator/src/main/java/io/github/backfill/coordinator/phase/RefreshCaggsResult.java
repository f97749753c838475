package io.github.backfill.coordinator.phase;

import java.util.List;

/**
 * What {@code refresh-caggs} did.
 *
 * @param sourceAggregates the source's continuous aggregates that the filter and cascades selected
 * @param refreshed the target's aggregates it refreshed, in order: parents before children
 */
public record RefreshCaggsResult(int sourceAggregates, List<Refresh> refreshed) {
  public RefreshCaggsResult {
    refreshed = List.copyOf(refreshed);
  }

  /** The original tool's closing lines. */
  public List<String> summary() {
    return sourceAggregates == 0
        ? List.of("No continuous aggregates to refresh", "Refreshed continuous aggregates")
        : List.of("Refreshed continuous aggregates");
  }

  /**
   * One refresh of one aggregate over {@code [windowStart, windowEnd)}: from the target's watermark
   * to the source's, as the aggregate's time type prints them.
   */
  public record Refresh(String viewSchema, String viewName, String windowStart, String windowEnd) {
    /** The original tool's progress line, printed before the refresh runs. */
    public String line() {
      return "Refreshing continuous aggregate '" + viewSchema + "'.'" + viewName + "' in range ["
          + windowStart + ", " + windowEnd + ")";
    }
  }
}
