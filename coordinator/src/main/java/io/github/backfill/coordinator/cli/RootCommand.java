package io.github.backfill.coordinator.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "timescaledb-backfill",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Copies the history of a TimescaleDB database into another during a dual-write-and-backfill"
          + " migration, chunk by chunk, transactionally and in parallel.",
      ""
    },
    footer = {
      "",
      "Connection strings take the libpq URL form (postgres://user:password@host:5432/db?sslmode=require)"
          + " or the key=value form (host=h port=5432 dbname=db user=u). Supported options: host, port,"
          + " dbname, user, password, sslmode, sslrootcert, sslcert, sslkey, application_name,"
          + " connect_timeout.",
      "",
      "Exit codes: 0 success; 1 the operation failed; 2 bad usage or input, nothing written;"
          + " 3 verify found differences; 130 stopped by a second SIGINT."
    })
public final class RootCommand implements Runnable {
  /**
   * The commands, in the order help lists them. Main adds them to the command line (all of them, or
   * only the one a command line names).
   */
  static final List<Class<?>> COMMANDS = List.of(SchemaCommand.class, StageCommand.class,
      CopyCommand.class, VerifyCommand.class, RefreshCaggsCommand.class, StatusCommand.class,
      CleanCommand.class, WorkerCommand.class, DemoCommand.class);

  @Option(
      names = "--disable-telemetry",
      scope = ScopeType.INHERIT,
      description = "Accepted for compatibility with the original tool; this tool never sends or writes"
          + " telemetry. Default: ${DEFAULT-VALUE}.")
  boolean disableTelemetry;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors and log at debug level. Default: ${DEFAULT-VALUE}.")
  boolean debug;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required: schema, stage, copy, verify, refresh-caggs, status, clean, worker or demo.");
  }
}
