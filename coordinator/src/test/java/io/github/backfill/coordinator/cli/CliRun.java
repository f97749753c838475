package io.github.backfill.coordinator.cli;

import io.github.backfill.common.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the command line: its exit code and what it printed. */
record CliRun(int exitCode, String stdout, String stderr) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Runs {@code command --source SOURCE --target TARGET FLAGS...}. */
  static CliRun between(TestDatabase source, TestDatabase target, String command, String... flags) {
    return of(args(source, target, command, flags));
  }

  /** The arguments of {@link #between}, for the launcher. */
  static String[] args(TestDatabase source, TestDatabase target, String command, String... flags) {
    List<String> args = new ArrayList<>(List.of(command, "--source", source.url(), "--target", target.url()));
    args.addAll(List.of(flags));
    return args.toArray(String[]::new);
  }
}
