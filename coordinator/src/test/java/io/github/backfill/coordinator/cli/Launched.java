package io.github.backfill.coordinator.cli;

import io.github.backfill.common.testing.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real launcher running in its own process, as a user starts it; its output is collected. */
final class Launched implements AutoCloseable {
  private final Process process;
  private final boolean background;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();

  private Launched(Process process, boolean background) {
    this.process = process;
    this.background = background;
    drain(process.getInputStream(), stdout);
    drain(process.getErrorStream(), stderr);
  }

  static Launched start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString());
    command.addAll(List.of(args));
    return command(command);
  }

  /** Any command line, such as the launcher run inside a network namespace. */
  static Launched command(List<String> command) {
    return command(command, null, java.util.Map.of(), false);
  }

  /**
   * The launcher started in the background by a non-interactive shell, as a script's {@code
   * timescaledb-backfill copy ... &} does: the shell hands it SIGINT ignored. The shell prints {@code
   * pid=N}, the launcher's process id, before the launcher's output, and exits with its code.
   */
  static Launched inBackground(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$0\" \"$@\" & echo \"pid=$!\"; wait $!"));
    command.add(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString());
    command.addAll(List.of(args));
    return command(command, null, java.util.Map.of(), true);
  }

  /** The launcher in working directory {@code dir} with {@code environment} added to this one's. */
  static Launched startIn(java.nio.file.Path dir, java.util.Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString());
    command.addAll(List.of(args));
    return command(command, dir, environment, false);
  }

  private static Launched command(
      List<String> command, java.nio.file.Path dir, java.util.Map<String, String> environment, boolean background) {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(environment);
    try {
      return new Launched(builder.start(), background);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void drain(java.io.InputStream stream, StringBuffer into) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          into.append(line).append('\n');
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Sends a signal by name, such as {@code INT} or {@code KILL}, to the launcher: the process, or
   * the one that {@link #inBackground}'s shell started.
   */
  void signal(String name) {
    long pid = process.pid();
    if (background) {
      java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^pid=(\\d+)$").matcher(stdout);
      if (!line.find()) {
        throw new AssertionError("no pid=N line yet; stdout:\n" + stdout);
      }
      pid = Long.parseLong(line.group(1));
    }
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the exit and returns its code; fails the test after {@code seconds}. */
  int exitCode(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("still running after " + seconds + " s; stdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      // Let the drain threads catch the last lines.
      Thread.sleep(200);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String stdout() {
    return stdout.toString();
  }

  String stderr() {
    return stderr.toString();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
