package io.github.backfill.coordinator.stage;

import io.vertx.sqlclient.Row;

/**
 * A hypertable's dimension as the catalog describes it.
 *
 * @param intervalLength an open (time) dimension's chunk interval, else null
 * @param numSlices a closed (space) dimension's number of partitions, else null
 */
public record Dimension(
    String column, String type, Long intervalLength, Integer numSlices, String partitioningFunc) {

  /** A row of {@code hypertable_dimensions.sql}. */
  public static Dimension of(Row r) {
    return new Dimension(
        r.getString("column_name"),
        r.getString("column_type"),
        r.getLong("interval_length"),
        r.getInteger("num_slices"),
        r.getString("partitioning_func"));
  }

  /** For messages: {@code time timestamp with time zone (interval 604800000000)}. */
  public String describe() {
    return column
        + " "
        + type
        + (intervalLength != null
            ? " (interval " + intervalLength + ")"
            : " (" + numSlices + " partitions" + (partitioningFunc.isEmpty() ? "" : " by " + partitioningFunc) + ")");
  }

  public boolean sameColumnAs(Dimension other) {
    return column.equals(other.column) && type.equals(other.type);
  }
}
