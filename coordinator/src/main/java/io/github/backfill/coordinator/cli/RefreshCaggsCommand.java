package io.github.backfill.coordinator.cli;

import io.github.backfill.coordinator.phase.RefreshCaggsOptions;
import io.github.backfill.coordinator.phase.RefreshCaggsPhase;
import io.github.backfill.coordinator.phase.RefreshCaggsResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "refresh-caggs",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    resourceBundle = "io.github.backfill.coordinator.cli.RefreshCaggsCommand",
    description = {
      "Refreshes the continuous aggregates of the target database up to the source's: each from its"
          + " watermark on the target to its watermark on the source, parents before children, with"
          + " CALL refresh_continuous_aggregate. Aggregates are matched by view schema and name;"
          + " those already up to date are left alone, so it can simply be run again. Transient"
          + " failures (a dropped connection, a server restart, a lock timeout) are retried with"
          + " backoff, 5 tries in all.",
      "",
      "Run it after copy, before the target's refresh policies are enabled again. It needs no"
          + " __backfill schema.",
      ""
    })
final class RefreshCaggsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseFlags databases;

  @Mixin SelectionFlags selection;

  @Override
  public Integer call() {
    FlagValues.requireNotBlank(
        selection.filter,
        "--filter",
        "give a regular expression such as '^public\\.daily$', or leave --filter out to refresh"
            + " every continuous aggregate");
    RefreshCaggsOptions options =
        new RefreshCaggsOptions(
            databases.source(),
            databases.target(),
            selection.filter,
            selection.cascadeUp,
            selection.cascadeDown);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println(Version.banner());
    out.flush();
    RefreshCaggsResult result =
        Commands.run(
            vertx ->
                new RefreshCaggsPhase(
                        vertx,
                        options,
                        line -> {
                          out.println(line);
                          out.flush();
                        },
                        line -> {
                          err.println(line);
                          err.flush();
                        })
                    .run());
    result.summary().forEach(out::println);
    out.flush();
    return 0;
  }
}
