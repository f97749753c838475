package io.github.backfill.coordinator.stage;

/**
 * A chunk of the source that holds rows in the staged range.
 *
 * @param timeStart the start of its time slice (internal value, inclusive)
 * @param timeEnd the end of its time slice (internal value, exclusive)
 * @param dimensions its slices as the task's {@code dimensions} JSON, in the original's format
 */
public record SourceChunk(
    SourceHypertable hypertable,
    ChunkRef ref,
    long timeStart,
    long timeEnd,
    String dimensions) {

  /**
   * The edge filter for this chunk, in the original's form ({@code "time" < '2023-05-26 00:00:00+00'}):
   * rows before {@code until} and at or after {@code from}, only where a bound falls strictly inside
   * the chunk's time slice; null when every row of the chunk is in range. (The original also adds the
   * lower filter when {@code from} equals the slice's start, which filters nothing and sends a
   * compressed chunk down the slow decompressing path.)
   */
  public String edgeFilter(Bound until, Bound from) {
    String column = hypertable.timeColumnSql();
    String upper = timeStart < until.internal() && until.internal() < timeEnd
        ? column + " < " + until.literal()
        : null;
    String lower = from != null && timeStart < from.internal() && from.internal() < timeEnd
        ? column + " >= " + from.literal()
        : null;
    if (upper != null && lower != null) {
      return upper + " and " + lower;
    }
    return upper != null ? upper : lower;
  }
}
