package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How batches are shaped: what TimescaleDB segments and orders them by. Compressed batches are copied
 * as they are, so a source chunk's settings must equal those of the target chunk that receives them.
 * A compressed chunk's settings are complete; a hypertable's may leave {@code segmentby} or the
 * order (all three order lists) null, for TimescaleDB to derive when it compresses a chunk (2.22 and
 * later leave an unset order so).
 */
public record CompressionSettings(
    List<String> segmentby, List<String> orderby, List<Boolean> orderbyDesc, List<Boolean> orderbyNullsfirst) {

  /** The settings of a row with the columns segmentby, orderby, orderby_desc, orderby_nullsfirst. */
  public static CompressionSettings of(Row r) {
    return new CompressionSettings(
        list(r.getArrayOfStrings("segmentby")),
        list(r.getArrayOfStrings("orderby")),
        list(r.getArrayOfBooleans("orderby_desc")),
        list(r.getArrayOfBooleans("orderby_nullsfirst")));
  }

  /**
   * Every compression setting of the database ({@code compression_settings.sql}), by the
   * {@code "schema"."table"} of the compressed chunk or hypertable it belongs to.
   */
  public static Future<Map<String, CompressionSettings>> read(ReactiveSession session) {
    return session
        .query(Sql.COMPRESSION_SETTINGS)
        .map(
            rows -> {
              Map<String, CompressionSettings> settings = new HashMap<>();
              for (Row r : rows) {
                settings.put(Sql.qualified(r.getString("schema_name"), r.getString("table_name")), of(r));
              }
              return settings;
            });
  }

  private static <T> List<T> list(T[] values) {
    return values == null ? null : Arrays.asList(values);
  }

  /**
   * Whether a new compressed chunk of a hypertable with these settings can receive batches shaped by
   * {@code chunk}'s: every setting the hypertable fixes is the chunk's. What it leaves to TimescaleDB
   * is checked once the target's compressed chunk exists.
   */
  boolean admits(CompressionSettings chunk) {
    return (segmentby == null || segmentby.equals(chunk.segmentby))
        && (orderby == null
            || (orderby.equals(chunk.orderby)
                && orderbyDesc.equals(chunk.orderbyDesc)
                && orderbyNullsfirst.equals(chunk.orderbyNullsfirst)));
  }

  /** In the original's words: {@code CompressionSettings { segmentby: [...], ... }}. */
  @Override
  public String toString() {
    return "CompressionSettings { segmentby: " + shown(segmentby) + ", orderby: " + shown(orderby)
        + ", orderby_desc: " + shown(orderbyDesc) + ", orderby_nullsfirst: " + shown(orderbyNullsfirst) + " }";
  }

  /** A list as the original's Rust debug output shows it: {@code ["device_id", "label"]}, {@code [false]}. */
  private static String shown(List<?> values) {
    if (values == null) {
      return "(TimescaleDB's default)";
    }
    return values.stream()
        .map(v -> v instanceof String text ? quoted(text) : String.valueOf(v))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
