package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestUrls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login's password never shows: every command, in success and failure and with {@code --debug},
 * run by the real launcher with the password in its connection strings; then stdout, stderr, every
 * file the runs left in their working directory, a worker's Prometheus metrics, and every row of
 * {@code __backfill} on both sides are searched for it, as given and URL-encoded. The event bus has
 * its own test ({@code BusSecretsIT}).
 */
class SecretsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final String ROLE = "bf_test_secret_login";
  /** Characters that the URL form must encode, so that the encoded form differs from the plain one. */
  private static final String PASSWORD = "Zq9-backfill-SECRET-7741/@:?#%& é";
  private static final String WRONG = "Zq9-backfill-SECRET-7741-wrong/@:";
  /** In every password here, and unchanged by URL encoding: no part of a password may show. */
  private static final String CORE = "SECRET-7741";

  @TempDir Path workDir;

  private final Map<String, String> outputs = new LinkedHashMap<>();
  private TestDatabase source;
  private TestDatabase target;

  /** A superuser with a known password must not outlive the test. */
  @AfterEach
  void dropTheLogin() {
    for (TestDatabase db : List.of(dbs.source(), dbs.target())) {
      db.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
          + " DROP OWNED BY " + ROLE + "; DROP ROLE " + ROLE + "; END IF; END $$");
    }
  }

  @Test
  void noCommandPrintsLogsStoresOrServesThePassword() throws Exception {
    source = dbs.source();
    target = dbs.target();
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    for (TestDatabase db : List.of(source, target)) {
      db.loginRole(ROLE, PASSWORD, true);
    }
    String s = url(source, PASSWORD);
    String t = url(target, PASSWORD);
    assertThat(s).doesNotContain(PASSWORD).contains(encode(PASSWORD));

    expect(0, "stage --debug", "stage", "--source", s, "--target", t, "--until", "2023-06-01", "--debug");
    expect(0, "status", "status", "--target", t);

    // A copy whose chunks fail on the target: their errors land in __backfill.task.last_error.
    target.execute("ALTER TABLE metrics ADD CONSTRAINT no_dev3 CHECK (device_id <> 'dev3') NOT VALID");
    expect(1, "failing copy --debug", "copy", "--source", s, "--target", t, "--debug", "-p", "2");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE last_error IS NOT NULL")).isPositive();
    outputs.put("__backfill on the target after a failed copy", backfillSchemaRows(target));
    assertThat(outputs.get("__backfill on the target after a failed copy")).contains("\"last_error\": \"");
    expect(0, "status with errors", "status", "--target", t);
    assertThat(outputs.get("status with errors")).contains("Last error in public.metrics: ");
    expect(0, "status --json with errors", "status", "--json", "--target", t);
    target.execute("ALTER TABLE metrics DROP CONSTRAINT no_dev3");

    String scraped = clusterCopy(s, t);
    outputs.put("metrics of the worker", scraped);
    assertThat(scraped).contains("backfill_rows_total");
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);

    expect(0, "verify", "verify", "--source", s, "--target", t);
    target.execute("UPDATE __backfill.task SET verified = NULL");
    expect(0, "verify --deep --json --debug", "verify", "--source", s, "--target", t, "--deep", "--json", "--debug");
    expect(0, "status --json", "status", "--json", "--target", t);
    // The Apache edition has no continuous aggregates; the command runs and says so all the same.
    expect(0, "refresh-caggs --debug", "refresh-caggs", "--source", s, "--target", t, "--debug");

    // Failures, each with the password somewhere in its connection strings.
    String wrongTarget = url(target, WRONG);
    expect(1, "wrong target password --debug", "copy", "--source", s, "--target", wrongTarget, "--debug");
    assertThat(outputs.get("wrong target password --debug")).contains("Error: ", "password");
    expect(1, "wrong source password", "verify", "--source", url(source, WRONG), "--target", t);
    String unreachable = TestUrls.url(ROLE, PASSWORD, "127.0.0.1", Waits.freePort(), "backfill") + "?connect_timeout=5";
    expect(1, "unreachable target --debug", "stage", "--source", s, "--target", unreachable, "--until", "2023-06-01",
        "--debug");
    expectWith(1, Map.of("BACKFILL_SOURCE", s, "BACKFILL_TARGET", wrongTarget), "worker, wrong target password --debug",
        "worker", "--debug", "--cluster-name", "bf-test-secrets-wrong", "--cluster-port", Integer.toString(Waits.freePort()),
        "--bus-port", Integer.toString(Waits.freePort()));
    expect(2, "bad flag", "copy", "--source", s, "--target", t, "--no-such-flag");
    expect(2, "bad value --debug", "copy", "--source", s, "--target", t, "--parallelism", "lots", "--debug");
    // Mistakes that make the parser repeat an argument: a mistyped flag, a stray argument, a
    // connection string given to the wrong flag.
    expect(2, "mistyped flag --debug", "copy", "--source", s, "--target", t, "--sourc", s, "--debug");
    expect(2, "stray argument", "verify", "--source", s, "--target", t, t);
    expect(2, "connection string for --parallelism", "copy", "--source", s, "--target", t, "--parallelism=" + s);
    String badPort = "postgres://" + ROLE + ":" + encode(PASSWORD) + "@127.0.0.1:notaport/backfill";
    expect(2, "malformed URL --debug", "stage", "--source", s, "--target", badPort, "--until", "2023-06-01",
        "--debug");
    String badParameter = t + "?sslmode=sometimes";
    expect(2, "bad sslmode", "status", "--target", badParameter);
    ConnectionSettings ts = target.settings();
    String keywords = "host=" + ts.host() + " port=" + ts.port() + " dbname=" + ts.database() + " user=" + ROLE
        + " password='" + WRONG + "'";
    expect(1, "key=value form, wrong password --debug", "status", "--target", keywords, "--debug");
    String noPassword = TestUrls.url(ROLE, null, ts.host(), ts.port(), ts.database());
    expectWith(1, Map.of("PGPASSWORD", WRONG), "PGPASSWORD wrong --debug", "status", "--target", noPassword,
        "--debug");
    expectWith(0, Map.of("PGPASSWORD", PASSWORD), "PGPASSWORD", "status", "--target", noPassword);
    expect(0, "password in the URL's query", "status", "--json", "--target", noPassword + "?password=" + encode(PASSWORD));
    expect(2, "password in the URL's query, stray argument", "status", "--target", noPassword,
        noPassword + "?password=" + encode(PASSWORD));

    outputs.put("__backfill on the source", backfillSchemaRows(source));
    outputs.put("__backfill on the target", backfillSchemaRows(target));
    expect(0, "clean --debug", "clean", "--target", t, "--debug");
    outputs.put("files left in the working directory", filesUnder(workDir));

    assertThat(outputs).hasSizeGreaterThan(25);
    outputs.forEach((where, text) -> assertThat(text).as(where).doesNotContainIgnoringCase(CORE)
        .doesNotContain(encode(PASSWORD)).doesNotContain(encode(WRONG)));
  }

  /**
   * A worker node that takes its connection strings from the environment and serves metrics, and a
   * coordinator that only coordinates; returns the worker's metrics after the run.
   */
  private String clusterCopy(String s, String t) throws Exception {
    String cluster = "bf-test-secrets-" + System.nanoTime();
    int workerPort = Waits.freePort();
    int coordinatorPort = Waits.freePort();
    int metrics = Waits.freePort();
    String scraped;
    try (Launched worker = Launched.startIn(workDir, Map.of("BACKFILL_SOURCE", s, "BACKFILL_TARGET", t), "worker",
        "-p", "2", "--debug", "--metrics-port", Integer.toString(metrics),
        "--cluster-name", cluster, "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(workerPort),
        "--bus-port", Integer.toString(Waits.freePort()), "--members", "127.0.0.1:" + coordinatorPort)) {
      try {
        Waits.await("the worker to join", Duration.ofSeconds(90), () -> worker.stdout().contains("waiting for runs"));
        expect(0, "clustered copy --debug", "copy", "--source", s, "--target", t, "--local-workers", "0",
            "--debug", "--cluster-name", cluster, "--cluster-host", "127.0.0.1",
            "--cluster-port", Integer.toString(coordinatorPort), "--bus-port", Integer.toString(Waits.freePort()),
            "--members", "127.0.0.1:" + workerPort);
        scraped = new String(URI.create("http://127.0.0.1:" + metrics + "/metrics").toURL().openStream()
            .readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        outputs.put("worker stdout", worker.stdout());
        outputs.put("worker stderr", worker.stderr());
      }
    }
    return scraped;
  }

  private void expect(int exitCode, String label, String... args) {
    expectWith(exitCode, Map.of(), label, args);
  }

  private void expectWith(int exitCode, Map<String, String> environment, String label, String... args) {
    assertThat(runWith(environment, label, args)).as(label + ":\n" + outputs.get(label)).isEqualTo(exitCode);
  }

  /** Runs the launcher; keeps its stdout and stderr under {@code label}, which names no secret. */
  private int runWith(Map<String, String> environment, String label, String... args) {
    long started = System.nanoTime();
    try (Launched launched = Launched.startIn(workDir, environment, args)) {
      int code = launched.exitCode(180);
      System.err.printf("SecretsIT: %s took %d ms%n", label, (System.nanoTime() - started) / 1_000_000);
      outputs.put(label, launched.stdout() + launched.stderr());
      if (code != 0) {
        assertThat(launched.stderr()).as(label).contains("Error: ");
      }
      return code;
    }
  }

  private static String url(TestDatabase db, String password) {
    ConnectionSettings settings = db.settings();
    return TestUrls.url(ROLE, password, settings.host(), settings.port(), settings.database());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Every row of every table of {@code __backfill} on {@code db}, as text. */
  private static String backfillSchemaRows(TestDatabase db) {
    StringBuilder text = new StringBuilder();
    for (List<Object> table : db.rows("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables"
        + " WHERE table_schema = '__backfill' ORDER BY 1")) {
      text.append(table.get(0)).append('\n');
      for (List<Object> row : db.rows("SELECT to_jsonb(t)::text FROM " + table.get(0) + " t")) {
        text.append(row.get(0)).append('\n');
      }
    }
    return text.toString();
  }

  /** Every regular file under {@code dir}: its name and its content. */
  private static String filesUnder(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.add(dir.relativize(file) + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return String.join("\n", files);
  }
}
