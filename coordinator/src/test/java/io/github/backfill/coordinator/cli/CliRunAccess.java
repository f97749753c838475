package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;

/** The command line for tests in other packages. */
public final class CliRunAccess {
  private CliRunAccess() {}

  /** Runs {@code stage} until 2100 and returns its exit code. */
  public static int stage(String source, String target) {
    return CliRun.of("stage", "--source", source, "--target", target, "--until", "2100-01-01").exitCode();
  }

  /** The sample {@code metrics} (744 rows in 5 chunks) on the source, its schema on the target, staged. */
  public static void stagedMetrics(TestDatabase source, TestDatabase target) {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    assertThat(stage(source.url(), target.url())).as("stage's exit code").isZero();
  }
}
