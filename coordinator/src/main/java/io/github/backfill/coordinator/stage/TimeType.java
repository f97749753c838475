package io.github.backfill.coordinator.stage;

import java.util.Arrays;
import java.util.Optional;

/**
 * The types a hypertable's time dimension may have for stage, as {@code regtype} names them. Another
 * type is an error, not a silent skip as in the original.
 */
public enum TimeType {
  TIMESTAMPTZ("timestamp with time zone", "timestamptz", false),
  TIMESTAMP("timestamp without time zone", "timestamp", false),
  DATE("date", "date", false),
  SMALLINT("smallint", "smallint", true),
  INTEGER("integer", "integer", true),
  BIGINT("bigint", "bigint", true);

  public static final String SUPPORTED = "timestamptz, timestamp, date, smallint, integer, bigint";

  private final String regtype;
  private final String sqlName;
  private final boolean integer;

  TimeType(String regtype, String sqlName, boolean integer) {
    this.regtype = regtype;
    this.sqlName = sqlName;
    this.integer = integer;
  }

  public static Optional<TimeType> ofRegtype(String regtype) {
    return Arrays.stream(values()).filter(t -> t.regtype.equals(regtype)).findFirst();
  }

  /** The type's name in SQL, safe to splice into a statement: it comes from this fixed list. */
  public String sqlName() {
    return sqlName;
  }

  public boolean isInteger() {
    return integer;
  }
}
