package io.github.backfill.common.testing;

import io.github.backfill.common.skeleton.SchemaDump;

/** Builds a test target's skeleton from its source, as {@link SchemaDump} describes. */
public final class Skeleton {
  private Skeleton() {}

  public static void copy(TestDatabase source, TestDatabase target) {
    String dump =
        source
            .server()
            .tools()
            .run("pg_dump", source.settings(), null, SchemaDump.PG_DUMP_ARGS.toArray(String[]::new))
            .requireSuccess()
            .stdout();
    target
        .server()
        .tools()
        .run("psql", target.settings(), SchemaDump.restoreScript(dump), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
        .requireSuccess();
  }
}
