package io.github.backfill.coordinator.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain {@code pg_dump --schema-only} script cut into pg_dump's own entries (each under its
 * {@code -- Name: ...; Type: ...; Schema: ...; Owner: ...} header), without what the target's
 * TimescaleDB makes itself or must not receive: the extension and its comment, TimescaleDB's
 * triggers on hypertables, psql's meta-commands ({@code \restrict}), and column options that are not
 * PostgreSQL's own.
 */
public final class DumpScript {
  /** One entry: what pg_dump's header names, and its SQL (one or more statements). */
  public record Entry(String name, String type, String schema, String sql) {}

  private static final Pattern HEADER =
      Pattern.compile("^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*$");
  /** Triggers TimescaleDB puts on hypertables; create_hypertable makes the target's own. */
  private static final Set<String> TIMESCALEDB_TRIGGERS = Set.of("ts_insert_blocker", "ts_cagg_invalidation_trigger");
  private static final Pattern COLUMN_OPTIONS =
      Pattern.compile("(?m)^ALTER TABLE ONLY (.+) ALTER COLUMN (.+) SET \\((.*)\\);$");
  /** The attribute options PostgreSQL itself knows (ALTER TABLE ... ALTER COLUMN ... SET). */
  private static final Set<String> POSTGRES_COLUMN_OPTIONS = Set.of("n_distinct", "n_distinct_inherited");

  private final List<Entry> entries;

  private DumpScript(List<Entry> entries) {
    this.entries = entries;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Parses {@code dump}; the settings before the first entry come first, named {@code SET}. */
  public static DumpScript parse(String dump) {
    List<Entry> entries = new ArrayList<>();
    String name = "";
    String type = "SET";
    String schema = "";
    StringBuilder sql = new StringBuilder();
    for (String line : dump.split("\n", -1)) {
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        add(entries, name, type, schema, sql);
        name = header.group(1);
        type = header.group(2);
        schema = header.group(3);
        sql.setLength(0);
      } else if (!line.startsWith("--") && !line.startsWith("\\")) {
        sql.append(line).append('\n');
      }
    }
    add(entries, name, type, schema, sql);
    return new DumpScript(entries);
  }

  private static void add(List<Entry> entries, String name, String type, String schema, StringBuilder sql) {
    String statements = withPostgresColumnOptions(sql.toString()).strip();
    if (statements.isEmpty() || !kept(name, type)) {
      return;
    }
    entries.add(new Entry(name, type, schema, statements));
  }

  private static boolean kept(String name, String type) {
    boolean extension = name.equals("timescaledb") && type.equals("EXTENSION")
        || name.equals("EXTENSION timescaledb") && type.equals("COMMENT");
    boolean trigger = type.equals("TRIGGER") && TIMESCALEDB_TRIGGERS.contains(name.substring(name.lastIndexOf(' ') + 1));
    return !extension && !trigger;
  }

  /**
   * Keeps only PostgreSQL's own column options: a server build that sets options of its own (such
   * as {@code pg_attver}) on every column would make the dump fail on any other server.
   */
  static String withPostgresColumnOptions(String sql) {
    Matcher m = COLUMN_OPTIONS.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      List<String> kept = new ArrayList<>();
      for (String option : m.group(3).split(",")) {
        String key = option.strip().split("=", 2)[0].strip();
        if (POSTGRES_COLUMN_OPTIONS.contains(key)) {
          kept.add(option.strip());
        }
      }
      String replacement =
          kept.isEmpty()
              ? ""
              : "ALTER TABLE ONLY " + m.group(1) + " ALTER COLUMN " + m.group(2) + " SET ("
                  + String.join(", ", kept) + ");";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
