package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.HumanUnits;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.JdbcConnections;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.coordinator.schema.PgDump;
import io.github.backfill.coordinator.schema.SchemaOptions;
import io.github.backfill.coordinator.schema.SchemaPhase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Shows a whole backfill on local servers: provisions two TimescaleDB servers"
          + " (scripts/timescaledb up), loads sample data into a fresh database `backfill_demo` on the"
          + " source (three hypertables: timestamptz and bigint time, one space-partitioned, a few"
          + " million rows), creates the target's schema with the schema command, starts dual-writes into"
          + " the newest chunk of both sides, then runs stage, copy and verify, and shows that the two"
          + " sides match. Runs from a checkout of the repository.",
      ""
    })
final class DemoCommand implements Callable<Integer> {
  private static final String DATABASE = "backfill_demo";

  @Spec CommandSpec spec;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "4",
      description = "Workers for copy and verify. Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "3000000",
      description = "About how many rows of sample data to make. Default: ${DEFAULT-VALUE}.")
  long rows;

  private PrintWriter out;
  private Path scripts;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    if (parallelism < 1 || rows < 1000) {
      throw BackfillException.usage("--parallelism must be at least 1 and --rows at least 1000.");
    }
    String home = System.getProperty("backfill.home");
    if (home == null || !Files.isExecutable(Path.of(home, "scripts", "timescaledb"))) {
      throw BackfillException.usage(
          "demo runs from a checkout of the repository: start it as ./timescaledb-backfill demo.");
    }
    scripts = Path.of(home, "scripts", "timescaledb");
    out.println(Version.banner() + " demo");

    step(1, "Local TimescaleDB servers (the first run provisions them: about a minute)");
    script(true, "up");
    String sourceAdmin = script(false, "url", "source").strip();
    String targetAdmin = script(false, "url", "target").strip();
    String source = recreate(sourceAdmin);
    String target = recreate(targetAdmin);

    step(2, "Sample data on the source");
    String until = loadSampleData(source);

    step(3, "The target's schema from the source's (timescaledb-backfill schema)");
    schema(source, target, Path.of(home, "scripts", "pg_dump"));

    step(4, "Dual-writes into the newest chunk of both sides, from " + until);
    DualWriter writer = new DualWriter(source, target, until);
    writer.start();
    long copyStarted;
    double copySeconds;
    try {
      step(5, "stage, copy, verify");
      run("stage", "--source", source, "--target", target, "--until", until, "--filter", "^public\\.(metrics|events)$");
      run("stage", "--source", source, "--target", target, "--until", "2592000", "--filter", "^public\\.readings$");
      copyStarted = System.nanoTime();
      run("copy", "--source", source, "--target", target, "--parallelism", Integer.toString(parallelism));
      copySeconds = (System.nanoTime() - copyStarted) / 1e9;
      run("verify", "--source", source, "--target", target, "--parallelism", Integer.toString(parallelism));
    } finally {
      writer.stop();
    }

    step(6, "Result");
    report(source, target, copySeconds, writer.written());
    return 0;
  }

  private void step(int number, String what) {
    out.println();
    out.println("[" + number + "/6] " + what);
    out.flush();
  }

  /** The command line of scripts/timescaledb with {@code args}. */
  private List<String> scriptCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(scripts.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs scripts/timescaledb; with {@code show}, its output goes straight to the user. */
  private String script(boolean show, String... args) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(scriptCommand(args));
    if (show) {
      builder.inheritIO();
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process process = builder.start();
    String output = show ? "" : new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw BackfillException.failed("scripts/timescaledb " + args[0] + " failed; see its output above.", null);
    }
    return output;
  }

  /**
   * Runs {@code schema}, with the local servers' pg_dump (scripts/pg_dump) unless BACKFILL_PG_DUMP
   * names another: the host's own may be older than the servers.
   */
  private void schema(String source, String target, Path localPgDump) {
    out.println();
    out.println("$ timescaledb-backfill schema --source postgres://...@" + source.replaceAll(".*@", "")
        + " --target postgres://...@" + target.replaceAll(".*@", ""));
    out.flush();
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putIfAbsent(PgDump.VARIABLE, localPgDump.toString());
    SchemaOptions options = new SchemaOptions(
        ConnectionSettings.parse(ServerRole.SOURCE, source), ConnectionSettings.parse(ServerRole.TARGET, target),
        null, environment);
    Commands.run(vertx -> new SchemaPhase(vertx, options).run()).summary().forEach(out::println);
    out.flush();
  }

  private static String recreate(String adminUrl) throws SQLException {
    String url = adminUrl.replaceAll("/[^/?]*(\\?|$)", "/" + DATABASE + "$1");
    ConnectionSettings admin = ConnectionSettings.parse(ServerRole.TARGET, adminUrl);
    try (Connection connection = JdbcConnections.open(admin); Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + DATABASE);
    }
    // CREATE EXTENSION must be the first statement of its session.
    try (Connection connection = JdbcConnections.openBare(ConnectionSettings.parse(ServerRole.TARGET, url));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION timescaledb");
    }
    return url;
  }

  /** Loads the sample data; returns the --until of the timestamptz hypertables. */
  private String loadSampleData(String source) throws SQLException {
    long metricsRows = rows * 85 / 100;
    long readingsRows = rows * 12 / 100;
    long eventsRows = rows - metricsRows - readingsRows;
    // 10 devices over 29.5 days: the step that gives about metricsRows rows.
    long stepSeconds = Math.max(1, 10L * 2_548_800 / metricsRows);
    try (Connection connection = JdbcConnections.open(ConnectionSettings.parse(ServerRole.SOURCE, source));
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT set_config('demo.base', (date_trunc('day', now()) - interval '30 days')::text, false)");
      for (String sql : List.of(
          "CREATE TABLE metrics (time timestamptz NOT NULL, device_id int NOT NULL, cpu float8, mem float8)",
          "SELECT create_hypertable('metrics', 'time', chunk_time_interval => interval '1 day')",
          "CREATE TABLE events (time timestamptz NOT NULL, kind text NOT NULL, payload jsonb)",
          "SELECT create_hypertable('events', 'time', chunk_time_interval => interval '7 days')",
          "CREATE TABLE readings (ts bigint NOT NULL, sensor int NOT NULL, value numeric(10, 3))",
          "SELECT create_hypertable('readings', 'ts', chunk_time_interval => 86400)",
          "SELECT add_dimension('readings', 'sensor', number_partitions => 4)",
          "INSERT INTO metrics SELECT t, d, random() * 100, random() * 64 FROM generate_series("
              + "current_setting('demo.base')::timestamptz, current_setting('demo.base')::timestamptz"
              + " + interval '29 days 12 hours' - interval '1 second', interval '" + stepSeconds + " seconds') t,"
              + " generate_series(1, 10) d",
          "INSERT INTO events SELECT current_setting('demo.base')::timestamptz + (g * interval '29 days 12 hours') / "
              + eventsRows + ", (ARRAY['login', 'logout', 'alert'])[1 + g % 3], jsonb_build_object('n', g)"
              + " FROM generate_series(0, " + (eventsRows - 1) + ") g",
          "INSERT INTO readings SELECT (g::bigint * 2592000) / " + readingsRows + ", g % 16, (g % 1000) / 7.0"
              + " FROM generate_series(0, " + (readingsRows - 1) + ") g",
          "ANALYZE")) {
        statement.execute(sql);
      }
      try (ResultSet row = statement.executeQuery(
          "SELECT (current_setting('demo.base')::timestamptz + interval '29 days 12 hours')::text,"
              + " (SELECT count(*) FROM metrics) + (SELECT count(*) FROM events) + (SELECT count(*) FROM readings),"
              + " (SELECT count(*) FROM timescaledb_information.chunks)")) {
        row.next();
        out.println("  metrics (timestamptz, 1-day chunks), events (timestamptz, 7-day chunks, jsonb),"
            + " readings (bigint time, 4 space partitions): " + row.getLong(2) + " rows in "
            + row.getLong(3) + " chunks");
        return row.getString(1);
      }
    }
  }

  private void run(String... args) {
    out.println();
    out.println("$ timescaledb-backfill " + String.join(" ", args).replaceAll("postgres://[^ ]*@", "postgres://...@"));
    out.flush();
    int code = Main.execute(args, out, spec.commandLine().getErr());
    if (code != 0) {
      throw new BackfillException(
          io.github.backfill.common.ExitCode.FAILED, "the demo's " + args[0] + " failed (exit code " + code + ")");
    }
  }

  private void report(String source, String target, double copySeconds, long dualWrites) throws SQLException {
    long bytes;
    long copiedRows;
    try (Connection connection = JdbcConnections.open(ConnectionSettings.parse(ServerRole.TARGET, target));
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(
            "SELECT coalesce(sum(copied_rows), 0), coalesce(sum(copied_bytes), 0) FROM __backfill.task")) {
      row.next();
      copiedRows = row.getLong(1);
      bytes = row.getLong(2);
    }
    out.printf("  copied %d rows (%s) in %s: %s/s, %d rows/s%n", copiedRows, HumanUnits.bytes(bytes),
        HumanUnits.duration(copySeconds), HumanUnits.bytes((long) (bytes / copySeconds)),
        (long) (copiedRows / copySeconds));
    out.printf("  %d rows were dual-written into both sides meanwhile%n", dualWrites);
    boolean same = true;
    for (String table : List.of("metrics", "events", "readings")) {
      String query = "SELECT count(*), coalesce(sum(hashtext(t::text)::numeric), 0) FROM " + table + " t";
      String left = summary(source, query);
      String right = summary(target, query);
      same &= left.equals(right);
      out.printf("  %-8s source %s, target %s: %s%n", table, left, right, left.equals(right) ? "identical" : "DIFFERENT");
    }
    out.println(same
        ? "Source and target match, rows and dual-writes alike."
        : "Source and target differ.");
    out.flush();
    if (!same) {
      throw BackfillException.failed("the demo's source and target differ", null);
    }
  }

  private static String summary(String url, String query) throws SQLException {
    try (Connection connection = JdbcConnections.open(ConnectionSettings.parse(ServerRole.SOURCE, url));
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getLong(1) + " rows (hash " + Long.toHexString(row.getBigDecimal(2).longValue()) + ")";
    }
  }

  /** The application during the migration: writes each new row to both databases. */
  private static final class DualWriter {
    private final String source;
    private final String target;
    private final String from;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private Thread thread;
    private volatile Exception failure;

    DualWriter(String source, String target, String from) {
      this.source = source;
      this.target = target;
      this.from = from;
    }

    void start() {
      thread = new Thread(this::write, "dual-writer");
      thread.start();
    }

    private void write() {
      try (Connection s = JdbcConnections.open(ConnectionSettings.parse(ServerRole.SOURCE, source));
          Connection t = JdbcConnections.open(ConnectionSettings.parse(ServerRole.TARGET, target))) {
        long second = 0;
        while (running.get()) {
          String sql = "INSERT INTO metrics SELECT '" + from + "'::timestamptz + interval '" + second
              + " seconds', d, d, d FROM generate_series(1, 10) d";
          try (Statement a = s.createStatement(); Statement b = t.createStatement()) {
            a.execute(sql);
            b.execute(sql);
          }
          written.addAndGet(10);
          second++;
          Thread.sleep(20);
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
      if (failure != null) {
        throw BackfillException.failed("the demo's dual-writes failed: " + failure.getMessage(), failure);
      }
    }

    long written() {
      return written.get();
    }
  }
}
