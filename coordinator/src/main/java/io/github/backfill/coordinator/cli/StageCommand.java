package io.github.backfill.coordinator.cli;

import io.github.backfill.coordinator.stage.StageOptions;
import io.github.backfill.coordinator.stage.StagePhase;
import io.github.backfill.coordinator.stage.StageResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "stage",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    resourceBundle = "io.github.backfill.coordinator.cli.StageCommand",
    description = {
      "Finds the source chunks holding rows before --until (and at or after --from), checks that the"
          + " target can receive them, creates the target chunks it lacks, and queues one copy task per"
          + " chunk in the __backfill schema of the target, newest chunks first.",
      "",
      "Nothing is written when a check fails (exit code 2). Staging again adds new chunks, skips"
          + " chunks staged with the same bounds, and re-plans pending chunks that new bounds cut"
          + " differently; chunks already copied under other bounds need `clean` first.",
      ""
    })
final class StageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseFlags databases;

  @Option(names = {"-u", "--until"}, required = true, paramLabel = "TIME",
      description = "Exclusive upper bound: rows with time < TIME are copied. A date or timestamp"
          + " (timestamptz values without an offset are read as UTC), or an integer for integer time"
          + " columns. Negative values: --until=-5.")
  String until;

  @Option(names = {"-F", "--from"}, paramLabel = "TIME",
      description = "Inclusive lower bound: rows with time >= TIME are copied. Default: no lower"
          + " bound.")
  String from;

  @Mixin SelectionFlags selection;

  @Option(names = {"-s", "--snapshot"}, paramLabel = "SNAPSHOT",
      description = "A snapshot exported from the source. Stored with each task for compatibility"
          + " with the original tool, which never uses it either: each chunk is read in its own"
          + " snapshot. Default: none.")
  String snapshot;

  @Override
  public Integer call() {
    FlagValues.requireNotBlank(
        until, "--until", "give a time such as 2024-01-01, or an integer for integer time columns");
    FlagValues.requireNotBlank(
        from, "--from", "give a time such as 2023-01-01, or leave --from out for no lower bound");
    FlagValues.requireNotBlank(
        selection.filter,
        "--filter",
        "give a regular expression such as '^public\\.metrics$', or leave --filter out to stage"
            + " every hypertable");
    FlagValues.requireNotBlank(
        snapshot,
        "--snapshot",
        "give the name of a snapshot exported from the source, or leave --snapshot out");
    StageOptions options =
        new StageOptions(
            databases.source(),
            databases.target(),
            until,
            from,
            selection.filter,
            selection.cascadeUp,
            selection.cascadeDown,
            snapshot);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println(Version.banner());
    out.flush();
    StageResult result =
        Commands.run(
            vertx ->
                new StagePhase(vertx, options, line -> {
                  err.println(line);
                  err.flush();
                }).run());
    result.summary().forEach(out::println);
    out.flush();
    return 0;
  }
}
