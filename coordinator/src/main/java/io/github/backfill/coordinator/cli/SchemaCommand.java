package io.github.backfill.coordinator.cli;

import io.github.backfill.coordinator.schema.SchemaOptions;
import io.github.backfill.coordinator.schema.SchemaPhase;
import io.github.backfill.coordinator.schema.SchemaResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Creates on the target, without data, the source's tables, hypertables (with their dimensions,"
          + " intervals and partitioning), indexes, constraints, compression settings and continuous"
          + " aggregates (their definitions, materialized-only setting and hierarchy) that --filter"
          + " selects, on the same TimescaleDB release or a newer one. The plain schema comes from"
          + " pg_dump (BACKFILL_PG_DUMP, else the newest on PATH or in PostgreSQL's usual directories,"
          + " of the source's PostgreSQL major or later); TimescaleDB's objects are made through the"
          + " target's TimescaleDB.",
      "",
      "All in one target transaction. Objects the target has in the same shape are left alone, so"
          + " running it again does nothing; one of another shape is an error naming it (exit code 2),"
          + " with nothing written. With --filter, views and the tables it leaves out are not created.",
      ""
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseFlags databases;

  @Option(names = {"-f", "--filter"}, paramLabel = "REGEX",
      description = "POSIX regular expression matched case-insensitively against \"schema\".\"name\""
          + " of tables, hypertables and continuous aggregates (their views). Default: everything.")
  String filter;

  @Override
  public Integer call() {
    FlagValues.requireNotBlank(
        filter, "--filter",
        "give a regular expression such as '^public\\.metrics$', or leave --filter out for everything");
    SchemaOptions options =
        new SchemaOptions(databases.source(), databases.target(), filter, System.getenv());
    PrintWriter out = spec.commandLine().getOut();
    out.println(Version.banner());
    out.flush();
    SchemaResult result = Commands.run(vertx -> new SchemaPhase(vertx, options).run());
    result.summary().forEach(out::println);
    out.flush();
    return 0;
  }
}
