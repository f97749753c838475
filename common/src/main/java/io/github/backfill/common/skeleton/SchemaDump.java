package io.github.backfill.common.skeleton;

import java.util.List;

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

  private SchemaDump() {}

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
