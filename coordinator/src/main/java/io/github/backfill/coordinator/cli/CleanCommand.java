package io.github.backfill.coordinator.cli;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.coordinator.phase.CleanPhase;
import io.github.backfill.coordinator.phase.CleanResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Removes the administrative schema __backfill, and with it every task, from the target"
          + " database. Copied chunks and their data stay. When the schema is already absent it says"
          + " so and succeeds. While a copy, verify or stage runs on the target it refuses and"
          + " drops nothing (exit code 2)."
    })
final class CleanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "CONNSTR",
      description = "Connection string of the target database.")
  String target;

  @Override
  public Integer call() {
    ConnectionSettings targetSettings = ConnectionSettings.parse(ServerRole.TARGET, target);
    var out = spec.commandLine().getOut();
    out.println(Version.banner());
    CleanResult result = Commands.run(vertx -> new CleanPhase(vertx, targetSettings).run());
    out.println(result.summary());
    out.flush();
    return 0;
  }
}
