package io.github.backfill.coordinator.cli;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;
import picocli.CommandLine.Option;

/** {@code --source} and {@code --target}, required, as the commands that read both take them. */
final class DatabaseFlags {
  @Option(names = "--source", required = true, paramLabel = "CONNSTR",
      description = "Connection string of the source database.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "CONNSTR",
      description = "Connection string of the target database.")
  String target;

  /** The source's settings; a malformed string is an exit-2 error naming --source. */
  ConnectionSettings source() {
    return ConnectionSettings.parse(ServerRole.SOURCE, source);
  }

  /** The target's settings; a malformed string is an exit-2 error naming --target. */
  ConnectionSettings target() {
    return ConnectionSettings.parse(ServerRole.TARGET, target);
  }
}
