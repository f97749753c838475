package io.github.backfill.common.testing;

/**
 * Builds the target's skeleton as the documented dual-write-and-backfill migration does: a plain
 * {@code pg_dump} of the source without the data of {@code _timescaledb_internal} (so hypertables,
 * chunks and TimescaleDB's catalog arrive, the chunks empty), restored into the target between
 * {@code timescaledb_pre_restore()} and {@code timescaledb_post_restore()}.
 */
public final class Skeleton {
  private Skeleton() {}

  public static void copy(TestDatabase source, TestDatabase target) {
    String dump =
        source
            .server()
            .tools()
            .run(
                "pg_dump",
                source.settings(),
                null,
                "--format=plain",
                "--exclude-table-data=_timescaledb_internal.*",
                "--quote-all-identifiers",
                "--no-tablespaces",
                "--no-owner",
                "--no-privileges")
            .requireSuccess()
            .stdout();
    // The target already has the extension; the dump's own CREATE EXTENSION would fail on it.
    String body = dump.replaceAll("(?m)^CREATE EXTENSION IF NOT EXISTS \"?timescaledb\"?.*$", "");
    // The dump empties search_path: call the restore functions schema-qualified.
    String script =
        "SELECT public.timescaledb_pre_restore();\n"
            + body
            + "\nSELECT public.timescaledb_post_restore();\n";
    target
        .server()
        .tools()
        .run("psql", target.settings(), script, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
        .requireSuccess();
  }
}
