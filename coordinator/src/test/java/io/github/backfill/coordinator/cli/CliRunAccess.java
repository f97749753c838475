package io.github.backfill.coordinator.cli;

/** The command line for tests in other packages. */
public final class CliRunAccess {
  private CliRunAccess() {}

  /** Runs {@code stage} until 2100 and returns its exit code. */
  public static int stage(String source, String target) {
    return CliRun.of("stage", "--source", source, "--target", target, "--until", "2100-01-01").exitCode();
  }
}
