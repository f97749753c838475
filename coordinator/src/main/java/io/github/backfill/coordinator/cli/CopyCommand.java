package io.github.backfill.coordinator.cli;

import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Copies the staged chunks, newest first, each in one target transaction: claim the task, delete"
          + " what the target chunk holds in the task's range, stream the rows with COPY, mark the task"
          + " done, commit. Transient failures (a dropped connection, a deadlock, a"
          + " lock timeout, a server restart) are retried with backoff; a permanent one stops the run"
          + " with exit code 1. Running copy again resumes. Several copy processes may share one"
          + " target's queue.",
      "",
      "The first SIGINT or SIGTERM lets the chunks being copied finish and exits 0; a second stops at"
          + " once, rolling them back (exit code 130).",
      ""
    })
final class CopyCommand extends RunCommand implements Callable<Integer> {
  @Option(names = "--analyze",
      description = "ANALYZE each target chunk inside its copy transaction, as the original tool always"
          + " does. Needed only where the target's autovacuum is off: autovacuum analyzes every copied"
          + " chunk anyway, even one analyzed in its transaction. Default: ${DEFAULT-VALUE}.")
  boolean analyze;

  @Override
  TaskOptions taskOptions() {
    return new TaskOptions(false, analyze);
  }

  @Override
  TaskKind kind() {
    return TaskKind.COPY;
  }

  @Override
  public Integer call() {
    return execute();
  }
}
