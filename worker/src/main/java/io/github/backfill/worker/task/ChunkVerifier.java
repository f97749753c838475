package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compares a source chunk with its target chunk within the task's range, as the original does: the
 * row count, and per column its count, minimum and maximum, and sums of integer and numeric columns.
 * Unlike the original it also compares interval and money sums (the original silently dropped them),
 * compares sums exactly (no float parsing), and with {@code deep} compares a multiset hash of all
 * rows, which catches a changed or duplicated row that the aggregates miss.
 */
final class ChunkVerifier {
  /** jsonb_build_object takes at most 100 arguments: 50 columns a call. */
  private static final int COLUMNS_PER_OBJECT = 50;
  /** Text YAML reads back as the same string without quotes. */
  private static final Pattern PLAIN_YAML = Pattern.compile("[^\\s\\-?:,\\[\\]{}#&*!|>'\"%@`][^\\n]*(?<!\\s)");

  /** The outcome: {@code diff} is empty when both sides agree. */
  record Comparison(boolean same, long rows, String diff) {}

  private record Column(String name, boolean minMax, boolean sum, boolean collatable) {}

  private ChunkVerifier() {}

  static Comparison compare(
      Connection source, Connection target, Task task, TargetChunk chunk, boolean deep)
      throws SQLException {
    List<Column> columns = columns(target, chunk);
    String select = selectList(columns, deep);
    Map<String, Object> sourceSummary = summarise(source, select, task.chunk(), task.whereClause());
    Map<String, Object> targetSummary = summarise(target, select, chunk.qualifiedName(), task.whereClause());
    long rows = (Long) sourceSummary.get("total_count");
    if (sourceSummary.equals(targetSummary)) {
      return new Comparison(true, rows, "");
    }
    List<String> original = yaml(sourceSummary);
    List<String> modified = yaml(targetSummary);
    return new Comparison(false, rows, String.join("\n", UnifiedDiff.of(original, modified, 3)) + "\n");
  }

  private static List<Column> columns(Connection target, TargetChunk chunk) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement statement = target.prepareStatement(Sql.VERIFY_COLUMNS.text())) {
      statement.setString(1, chunk.schema());
      statement.setString(2, chunk.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(
              new Column(
                  rows.getString("name"),
                  rows.getBoolean("has_min_max"),
                  rows.getBoolean("has_sum"),
                  rows.getBoolean("collatable")));
        }
      }
    }
    return columns;
  }

  /** The aggregate select list, built from the target's columns and used on both sides. */
  static String selectList(List<Column> columns, boolean deep) {
    StringBuilder select = new StringBuilder("count(*) AS total_count");
    select.append(", ").append(object(columns, c -> true, c -> "count(" + Sql.identifier(c.name()) + ")")).append(" AS count");
    select.append(", ").append(object(columns, Column::minMax, c -> "min(" + operand(c) + ")::text")).append(" AS min");
    select.append(", ").append(object(columns, Column::minMax, c -> "max(" + operand(c) + ")::text")).append(" AS max");
    select.append(", ").append(object(columns, Column::sum, c -> "sum(" + Sql.identifier(c.name()) + ")::text")).append(" AS sum");
    if (deep) {
      // Each row's md5 as two 64-bit halves, summed as numeric: independent of row order, and a
      // duplicated row counts twice. The columns go in name order, the same on both sides.
      String row = "row(" + String.join(", ", columns.stream().map(c -> Sql.identifier(c.name())).toList()) + ")::text";
      select.append(", (coalesce(sum(('x' || substr(md5(").append(row)
          .append("), 1, 16))::bit(64)::bigint::numeric), 0) || '/' || coalesce(sum(('x' || substr(md5(")
          .append(row).append("), 17, 16))::bit(64)::bigint::numeric), 0)) AS row_hash");
    }
    return select.toString();
  }

  private static String operand(Column column) {
    return Sql.identifier(column.name()) + (column.collatable() ? " COLLATE \"C\"" : "");
  }

  private static String object(
      List<Column> columns,
      java.util.function.Predicate<Column> include,
      java.util.function.Function<Column, String> aggregate) {
    List<Column> chosen = columns.stream().filter(include).toList();
    if (chosen.isEmpty()) {
      return "'{}'::text";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i += COLUMNS_PER_OBJECT) {
      StringBuilder part = new StringBuilder("jsonb_build_object(");
      List<Column> group = chosen.subList(i, Math.min(i + COLUMNS_PER_OBJECT, chosen.size()));
      for (int j = 0; j < group.size(); j++) {
        if (j > 0) {
          part.append(", ");
        }
        part.append(Sql.literal(group.get(j).name())).append(", ").append(aggregate.apply(group.get(j)));
      }
      parts.add(part.append(')').toString());
    }
    return "(" + String.join(" || ", parts) + ")::text";
  }

  private static Map<String, Object> summarise(
      Connection connection, String select, String table, String where) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT " + select + " FROM " + table + where)) {
      row.next();
      Map<String, Object> summary = new TreeMap<>();
      summary.put("total_count", row.getLong("total_count"));
      for (String map : List.of("count", "min", "max", "sum")) {
        summary.put(map, new TreeMap<>(new JsonObject(row.getString(map)).getMap()));
      }
      if (row.getMetaData().getColumnCount() > 5) {
        summary.put("row_hash", row.getString("row_hash"));
      }
      return summary;
    }
  }

  /** The summary as YAML, in the original's order: min, max, sum, count, total_count. */
  @SuppressWarnings("unchecked")
  static List<String> yaml(Map<String, Object> summary) {
    List<String> lines = new ArrayList<>();
    for (String key : List.of("min", "max", "sum", "count")) {
      Map<String, Object> map = (Map<String, Object>) summary.get(key);
      if (map.isEmpty()) {
        lines.add(key + ": {}");
        continue;
      }
      lines.add(key + ":");
      map.forEach((column, value) -> lines.add("  " + scalar(column) + ": " + scalar(value)));
    }
    lines.add("total_count: " + summary.get("total_count"));
    if (summary.containsKey("row_hash")) {
      lines.add("row_hash: " + scalar(summary.get("row_hash")));
    }
    return lines;
  }

  /** A YAML scalar: numbers bare, strings quoted when YAML would read them as something else. */
  private static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number) {
      return value.toString();
    }
    String text = value.toString();
    boolean plain =
        PLAIN_YAML.matcher(text).matches()
            && !text.matches("[-+]?(\\.?[0-9][0-9_.]*([eE][-+]?[0-9]+)?|\\.inf|\\.nan)|(?i:true|false|null|yes|no|on|off)|~")
            && !text.endsWith(":")
            && !text.contains(": ")
            && !text.contains(" #");
    return plain ? text : "'" + text.replace("'", "''") + "'";
  }
}
