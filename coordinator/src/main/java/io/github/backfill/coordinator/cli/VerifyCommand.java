package io.github.backfill.coordinator.cli;

import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Compares each copied chunk with its source within the task's range: the row count and, per"
          + " column, count, min, max and the sums of integer, numeric, interval and money columns."
          + " Differences are printed as a diff and stored in __backfill.task.verify_message.",
      "",
      "Exit code 3 when any chunk differs or its target chunk is missing; a source chunk dropped after"
          + " stage is reported but is no difference. (The original tool always exits 0.)",
      ""
    })
final class VerifyCommand extends RunCommand implements Callable<Integer> {
  @Option(names = "--deep",
      description = "Also compare a hash of every row, in any order and counting duplicates: catches"
          + " changed or duplicated rows that the aggregates miss. Reads every row of both sides."
          + " Default: ${DEFAULT-VALUE}.")
  boolean deep;

  @Override
  TaskKind kind() {
    return TaskKind.VERIFY;
  }

  @Override
  TaskOptions taskOptions() {
    return new TaskOptions(deep, false);
  }

  @Override
  public Integer call() {
    return execute();
  }
}
