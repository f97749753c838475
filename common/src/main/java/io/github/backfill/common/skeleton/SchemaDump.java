package io.github.backfill.common.skeleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The target's skeleton as the documented dual-write-and-backfill migration makes it: a plain
 * {@code pg_dump} of the source without the data of {@code _timescaledb_internal} (hypertables,
 * chunks and TimescaleDB's catalog arrive, the chunks empty), restored between
 * {@code timescaledb_pre_restore()} and {@code timescaledb_post_restore()}.
 */
public final class SchemaDump {
  /** pg_dump's arguments, as the migration guide gives them. */
  public static final List<String> PG_DUMP_ARGS =
      List.of(
          "--format=plain",
          "--exclude-table-data=_timescaledb_internal.*",
          "--quote-all-identifiers",
          "--no-tablespaces",
          "--no-owner",
          "--no-privileges");

  /** TimescaleDB's catalog tables whose foreign keys make cycles; pg_dump warns of each. */
  private static final Set<String> CATALOG_CYCLES = Set.of("hypertable", "chunk", "continuous_agg");

  private static final String CYCLE_WARNING =
      "pg_dump: warning: there are circular foreign-key constraints on this table:";

  private SchemaDump() {}

  /**
   * pg_dump's messages without its warnings about the circular foreign keys of TimescaleDB's own
   * catalog tables (with their hints), which concern data-only dumps and are harmless to this one.
   * Every other line stays.
   */
  public static String withoutCatalogCycleWarnings(String stderr) {
    List<String> kept = new ArrayList<>();
    List<String> lines = stderr.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String detail = i + 1 < lines.size() ? lines.get(i + 1).replaceFirst("^pg_dump: detail: ", "") : "";
      if (lines.get(i).equals(CYCLE_WARNING) && CATALOG_CYCLES.contains(detail)) {
        i++;
        while (i + 1 < lines.size() && lines.get(i + 1).startsWith("pg_dump: hint: ")) {
          i++;
        }
        continue;
      }
      kept.add(lines.get(i));
    }
    return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
  }

  /**
   * The psql script that restores {@code dump} into a target that already has TimescaleDB: the
   * dump's own {@code CREATE EXTENSION} would fail there, and the dump empties {@code search_path},
   * so the restore functions are called schema-qualified.
   */
  public static String restoreScript(String dump) {
    String body = dump.replaceAll("(?m)^CREATE EXTENSION IF NOT EXISTS \"?timescaledb\"?.*$", "");
    return "SELECT public.timescaledb_pre_restore();\n"
        + body
        + "\nSELECT public.timescaledb_post_restore();\n";
  }
}
