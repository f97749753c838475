package io.github.backfill.coordinator.schema;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.ConnectionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code pg_dump} that {@code schema} runs for the plain schema: {@code BACKFILL_PG_DUMP} when
 * set, else the newest one on PATH or in PostgreSQL's usual directories; in either case one whose
 * major is at least the source server's (pg_dump refuses newer servers). Blocking: call off the event
 * loop. The password travels in the child's environment, never in its arguments.
 */
public final class PgDump {
  /** The variable that names the pg_dump to use. */
  public static final String VARIABLE = "BACKFILL_PG_DUMP";

  /** Where PostgreSQL's packages put their programs: Debian and Ubuntu, RHEL, Homebrew, source builds. */
  static final List<String> USUAL_DIRECTORIES =
      List.of(
          "/usr/lib/postgresql/*/bin",
          "/usr/pgsql-*/bin",
          "/opt/homebrew/opt/postgresql@*/bin",
          "/usr/local/opt/postgresql@*/bin",
          "/usr/local/pgsql/bin");

  private static final Pattern VERSION = Pattern.compile("pg_dump \\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

  private final Path program;
  private final int major;
  private final String version;

  private PgDump(Path program, int major, String version) {
    this.program = program;
    this.major = major;
    this.version = version;
  }

  public Path program() {
    return program;
  }

  public int major() {
    return major;
  }

  /** For messages: {@code pg_dump 18.1 (/usr/lib/postgresql/18/bin/pg_dump)}. */
  public String describe() {
    return "pg_dump " + version + " (" + program + ")";
  }

  /**
   * The pg_dump to dump a PostgreSQL {@code serverMajor} server with.
   *
   * @param env the environment ({@code BACKFILL_PG_DUMP}, {@code PATH})
   * @throws BackfillException exit code 2 when none fits, naming what to install
   */
  public static PgDump locate(Map<String, String> env, int serverMajor) {
    String chosen = env.get(VARIABLE);
    if (chosen != null && !chosen.isBlank()) {
      Path path = Path.of(chosen.strip());
      PgDump named =
          probe(path)
              .orElseThrow(
                  () -> BackfillException.usage(
                      VARIABLE + "=" + chosen + " is not a pg_dump that runs (`" + chosen
                          + " --version` failed). Point it at PostgreSQL " + serverMajor
                          + "'s pg_dump or a later one, or unset it."));
      if (named.major < serverMajor) {
        throw BackfillException.usage(
            VARIABLE + " names " + named.describe() + ", which cannot dump the source's PostgreSQL "
                + serverMajor + ". Point it at PostgreSQL " + serverMajor
                + "'s pg_dump or a later one.");
      }
      return named;
    }
    List<PgDump> found = candidates(env).stream().map(PgDump::probe).flatMap(Optional::stream).toList();
    return found.stream()
        .filter(p -> p.major >= serverMajor)
        .max(Comparator.comparingInt(PgDump::major))
        .orElseThrow(() -> notFound(serverMajor, found));
  }

  private static BackfillException notFound(int serverMajor, List<PgDump> found) {
    String seen =
        found.isEmpty()
            ? "found none"
            : "found only " + String.join(", ", found.stream().map(PgDump::describe).toList());
    return BackfillException.usage(
        "schema needs pg_dump of PostgreSQL " + serverMajor + " or later, the source's major, and "
            + seen + " on PATH and in " + String.join(", ", USUAL_DIRECTORIES) + ". Install"
            + " PostgreSQL " + serverMajor + "'s client programs (Debian and Ubuntu:"
            + " postgresql-client-" + serverMajor + " from apt.postgresql.org), or set " + VARIABLE
            + " to such a pg_dump.");
  }

  /** Every pg_dump on PATH and in the usual directories, once each. */
  static List<Path> candidates(Map<String, String> env) {
    Map<Path, Path> unique = new LinkedHashMap<>();
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        add(unique, Path.of(dir, "pg_dump"));
      }
    }
    for (String pattern : USUAL_DIRECTORIES) {
      for (Path dir : expand(pattern)) {
        add(unique, dir.resolve("pg_dump"));
      }
    }
    return new ArrayList<>(unique.values());
  }

  private static void add(Map<Path, Path> unique, Path program) {
    if (Files.isExecutable(program)) {
      Path key;
      try {
        key = program.toRealPath();
      } catch (IOException e) {
        key = program;
      }
      unique.putIfAbsent(key, program);
    }
  }

  /** A directory pattern with one {@code *} in a path segment, expanded. */
  private static List<Path> expand(String pattern) {
    int star = pattern.indexOf('*');
    if (star < 0) {
      return List.of(Path.of(pattern));
    }
    Path parent = Path.of(pattern.substring(0, pattern.lastIndexOf('/', star)));
    String rest = pattern.substring(pattern.lastIndexOf('/', star) + 1);
    int slash = rest.indexOf('/');
    String segment = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash + 1);
    Pattern glob = Pattern.compile(Pattern.quote(segment).replace("*", "\\E.*\\Q"));
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(parent)) {
      return children
          .filter(p -> glob.matcher(p.getFileName().toString()).matches())
          .map(p -> tail.isEmpty() ? p : p.resolve(tail))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** {@code program --version}, parsed; empty when it does not run or is no pg_dump. */
  static Optional<PgDump> probe(Path program) {
    try {
      Process process = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(output);
      if (!m.find()) {
        return Optional.empty();
      }
      String version = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
      return Optional.of(new PgDump(program, Integer.parseInt(m.group(1)), version));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Dumps the schema (no data) of the database {@code settings} names, with pg_dump's extra
   * {@code arguments}; returns the plain SQL script. Fails (exit code 1) with pg_dump's messages.
   */
  public String dumpSchema(ConnectionSettings settings, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(
        List.of("--schema-only", "--format=plain", "--quote-all-identifiers", "--no-owner",
            "--no-privileges", "--no-tablespaces", "--no-publications", "--no-subscriptions",
            "--no-security-labels", "--no-comments"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    libpqEnvironment(settings, builder.environment());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String dump = read(process.getInputStream());
      int code = process.waitFor();
      if (code != 0) {
        throw BackfillException.failed(
            describe() + " failed (exit code " + code + ") on the " + settings.role().label() + " server "
                + settings.address() + ": " + errors.join().strip(),
            null);
      }
      return dump;
    } catch (IOException e) {
      throw BackfillException.failed(describe() + " could not be started: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BackfillException.failed("interrupted while pg_dump ran", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The connection as libpq's variables, so that no secret appears in the command line. */
  static void libpqEnvironment(ConnectionSettings settings, Map<String, String> env) {
    env.keySet().removeIf(name -> name.startsWith("PG"));
    env.put("PGHOST", settings.host());
    env.put("PGPORT", Integer.toString(settings.port()));
    env.put("PGDATABASE", settings.database());
    env.put("PGUSER", settings.user());
    settings.password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("PGSSLMODE", settings.sslMode().value());
    settings.sslRootCert().ifPresent(p -> env.put("PGSSLROOTCERT", p));
    settings.sslCert().ifPresent(p -> env.put("PGSSLCERT", p));
    settings.sslKey().ifPresent(p -> env.put("PGSSLKEY", p));
    env.put("PGAPPNAME", settings.applicationName());
    env.put("PGCONNECT_TIMEOUT", Integer.toString(Math.max(settings.connectTimeoutSeconds(), 2)));
  }
}
