package io.github.backfill.coordinator.cli;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.coordinator.status.StatusPhase;
import io.github.backfill.coordinator.status.StatusResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Shows the backfill's progress from the target's task queue: per hypertable the chunks"
          + " staged, copied, pending, verified and failing verification, the rows and bytes copied,"
          + " and the last error of a chunk still pending. Reads only.",
      ""
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", required = true, paramLabel = "CONNSTR",
      description = "Connection string of the target database.")
  String target;

  @Option(names = "--json",
      description = "Print one JSON object instead of the table. Default: ${DEFAULT-VALUE}.")
  boolean json;

  @Override
  public Integer call() {
    ConnectionSettings settings = ConnectionSettings.parse(ServerRole.TARGET, target);
    StatusResult result = Commands.run(vertx -> new StatusPhase(vertx, settings).run());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(result.toJson().encode());
    } else {
      out.println(Version.banner());
      result.table().forEach(out::println);
    }
    out.flush();
    return 0;
  }
}
