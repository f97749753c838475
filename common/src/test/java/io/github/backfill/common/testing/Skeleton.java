package io.github.backfill.common.testing;

import java.util.List;

/**
 * Builds a test target's skeleton from its source as the original tool's migration guide does,
 * between servers of the same release: a plain {@code pg_dump} of the source without the data of
 * {@code _timescaledb_internal} (hypertables, chunks and TimescaleDB's catalog arrive, the chunks
 * empty), restored between {@code timescaledb_pre_restore()} and {@code timescaledb_post_restore()}.
 * (The tool's own {@code schema} command, which also works across releases, is SchemaIT's.)
 */
public final class Skeleton {
  /** pg_dump's arguments, as the migration guide gives them. */
  private static final List<String> PG_DUMP_ARGS =
      List.of(
          "--format=plain",
          "--exclude-table-data=_timescaledb_internal.*",
          "--quote-all-identifiers",
          "--no-tablespaces",
          "--no-owner",
          "--no-privileges");

  private Skeleton() {}

  public static void copy(TestDatabase source, TestDatabase target) {
    String dump =
        source
            .server()
            .tools()
            .run("pg_dump", source.settings(), null, PG_DUMP_ARGS.toArray(String[]::new))
            .requireSuccess()
            .stdout();
    target
        .server()
        .tools()
        .run("psql", target.settings(), restoreScript(dump), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
        .requireSuccess();
  }

  /**
   * The psql script that restores {@code dump} into a target that already has TimescaleDB: the
   * dump's own {@code CREATE EXTENSION} would fail there, and the dump empties {@code search_path},
   * so the restore functions are called schema-qualified.
   */
  private static String restoreScript(String dump) {
    String body = dump.replaceAll("(?m)^CREATE EXTENSION IF NOT EXISTS \"?timescaledb\"?.*$", "");
    return "SELECT public.timescaledb_pre_restore();\n"
        + body
        + "\nSELECT public.timescaledb_post_restore();\n";
  }
}
