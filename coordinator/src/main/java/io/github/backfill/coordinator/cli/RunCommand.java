package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.coordinator.run.ProgressDisplay;
import io.github.backfill.coordinator.run.RunOptions;
import io.github.backfill.coordinator.run.RunPhase;
import io.github.backfill.coordinator.run.RunSummary;
import io.github.backfill.worker.RetryPolicy;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** What {@code copy} and {@code verify} share: flags, signals, output and exit codes. */
abstract class RunCommand {
  @Spec CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "CONNSTR",
      description = "Connection string of the source database.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "CONNSTR",
      description = "Connection string of the target database.")
  String target;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "8",
      description = "Chunks processed at once, each with one source and one target connection."
          + " Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(names = "--json",
      description = "Print only one JSON object with the totals at the end. Default: ${DEFAULT-VALUE}.")
  boolean json;

  abstract TaskKind kind();

  boolean deep() {
    return false;
  }

  /**
   * The first SIGINT or SIGTERM lets running chunks finish and exits 0; a second stops at once,
   * rolling them back, with exit code 130.
   */
  Integer execute() {
    if (parallelism < 1 || parallelism > 1024) {
      throw BackfillException.usage(
          "--parallelism must be a number of workers from 1 to 1024, not " + parallelism + ".");
    }
    RunOptions options =
        new RunOptions(
            kind(),
            ConnectionSettings.parse(ServerRole.SOURCE, source),
            ConnectionSettings.parse(ServerRole.TARGET, target),
            parallelism,
            deep(),
            RetryPolicy.DEFAULT);
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.println(Version.banner());
      out.flush();
    }
    boolean terminal = System.console() != null && !json;
    AtomicReference<RunPhase> phase = new AtomicReference<>();
    AtomicInteger signals = new AtomicInteger();
    sun.misc.SignalHandler handler =
        signal -> {
          if (signals.incrementAndGet() == 1 && phase.get() != null) {
            phase.get().stopGracefully();
          } else {
            out.println("Terminating immediately.");
            out.flush();
            // Exiting closes the connections: the servers roll back the open transactions, and
            // the tasks stay pending for the next run.
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
          }
        };
    Signal.handle(new Signal("INT"), handler);
    Signal.handle(new Signal("TERM"), handler);
    RunSummary summary;
    try (ProgressDisplay display = new ProgressDisplay(kind(), out, terminal ? System.err : null, json)) {
      summary =
          Commands.run(
              vertx -> {
                RunPhase run = new RunPhase(vertx, options, display);
                phase.set(run);
                if (signals.get() > 0) {
                  run.stopGracefully();
                }
                return run.run(total -> display.start(total, parallelism));
              });
    }
    if (json) {
      out.println(summary.toJson().encode());
    } else {
      summary.lines().forEach(out::println);
    }
    out.flush();
    if (summary.failure() != null) {
      throw BackfillException.failed(
          summary.failure() + ". Chunks already " + (kind() == TaskKind.COPY ? "copied" : "verified")
              + " stay so; run the command again to resume.", null);
    }
    return summary.differences() > 0 ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code();
  }
}
