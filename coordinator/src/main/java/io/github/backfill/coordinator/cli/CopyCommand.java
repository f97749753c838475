package io.github.backfill.coordinator.cli;

import io.github.backfill.common.task.TaskKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Copies the staged chunks, newest first, each in one target transaction: claim the task, delete"
          + " what the target chunk holds in the task's range, stream the rows with COPY, analyze,"
          + " mark the task done, commit. Transient failures (a dropped connection, a deadlock, a"
          + " lock timeout, a server restart) are retried with backoff; a permanent one stops the run"
          + " with exit code 1. Running copy again resumes. Several copy processes may share one"
          + " target's queue.",
      "",
      "The first SIGINT or SIGTERM lets the chunks being copied finish and exits 0; a second stops at"
          + " once, rolling them back (exit code 130).",
      ""
    })
final class CopyCommand extends RunCommand implements Callable<Integer> {
  @Override
  TaskKind kind() {
    return TaskKind.COPY;
  }

  @Override
  public Integer call() {
    return execute();
  }
}
