package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestUrls;
import io.github.backfill.common.testing.Tsl;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code refresh-caggs} killed or cut off in the middle, then run again: the target's continuous
 * aggregates end with the source's watermarks and contents, each refreshed window once. The source
 * has {@code daily} on a hypertable and {@code monthly} on {@code daily}, both refreshed up to
 * 2024-04-01; the target has them from a schema dump taken when both stood at 2024-02-01, and the
 * rows of February and March. Another session holds a lock on {@code monthly}'s materialization
 * hypertable, so that the run is caught after {@code daily} and inside {@code monthly}'s refresh:
 * killed there, or its session ended by the server, which the run rides out with retries.
 * Needs TimescaleDB's TSL license; skipped, visibly, without it.
 */
class RefreshCaggsInterruptionIT extends FreshDatabasesTest {
  private static final String DAILY_LINE =
      "Refreshing continuous aggregate 'public'.'daily' in range"
          + " [2024-02-01 00:00:00+00, 2024-04-01 00:00:00+00)";
  private static final String MONTHLY_LINE =
      "Refreshing continuous aggregate 'public'.'monthly' in range"
          + " [2024-02-01 00:00:00+00, 2024-04-01 00:00:00+00)";
  private static final String DONE = "Refreshed continuous aggregates";

  @BeforeEach
  void aggregatesBehindTheSource() {
    Tsl.assumeAvailable(source, target);
    source.execute(
        "CREATE TABLE t (time timestamptz NOT NULL, key int NOT NULL, value float8)",
        "SELECT create_hypertable('t', 'time', chunk_time_interval => interval '7 days')",
        "CREATE MATERIALIZED VIEW daily WITH (timescaledb.continuous) AS SELECT time_bucket('1 day',"
            + " time) AS day, key, max(value) AS high, count(*) AS n FROM t GROUP BY day, key WITH NO DATA",
        "CREATE MATERIALIZED VIEW monthly WITH (timescaledb.continuous) AS SELECT time_bucket('1 month',"
            + " day) AS month, key, max(high) AS high, sum(n) AS n FROM daily GROUP BY month, key WITH NO DATA",
        rows("2024-01-01", "2024-01-31 23:00"),
        "CALL refresh_continuous_aggregate('daily', NULL, '2024-02-01')",
        "CALL refresh_continuous_aggregate('monthly', NULL, '2024-02-01')");
    Skeleton.copy(source, target);
    String later = rows("2024-02-01", "2024-03-31 23:00");
    source.execute(
        later,
        "CALL refresh_continuous_aggregate('daily', NULL, '2024-04-01')",
        "CALL refresh_continuous_aggregate('monthly', NULL, '2024-04-01')");
    target.execute(later);
  }

  /** Hourly rows of three keys from {@code from} to {@code to}, the same on every side. */
  private static String rows(String from, String to) {
    return "INSERT INTO t SELECT h, k, extract(epoch FROM h) / 3600 + k FROM generate_series('" + from
        + "'::timestamptz, '" + to + "', '1 hour') h, generate_series(1, 3) k";
  }

  private String[] args(String... flags) {
    return CliRun.args(source, target, "refresh-caggs", flags);
  }

  @Test
  void killedInsideARefreshItIsRunAgainAndFinishesTheRest() throws Exception {
    try (Connection blocker = lockMonthly()) {
      try (Launched run = Launched.start(args())) {
        Waits.await("the refresh of monthly to wait for the lock", Duration.ofSeconds(60),
            () -> run.stdout().contains(MONTHLY_LINE) && toolWaitsForALock());
        run.signal("KILL");
        assertThat(run.exitCode(30)).isEqualTo(137);
        assertThat(run.stdout().lines().toList())
            .containsExactly(Version.banner(), DAILY_LINE, MONTHLY_LINE);
      }
      assertThat(watermark(target, "daily")).isEqualTo(watermark(source, "daily"));
      assertThat(watermark(target, "monthly")).isEqualTo(february());

      // Run again at once, while the killed run's server session still waits for the lock too.
      try (Launched again = Launched.start(args())) {
        Waits.await("the second run to wait for the lock", Duration.ofSeconds(60),
            () -> again.stdout().contains(MONTHLY_LINE) && toolWaitsForALock());
        blocker.commit();
        assertThat(again.exitCode(120)).as(again.stderr()).isZero();
        if (refusesConcurrentRefreshes()) {
          // The killed run's session has registered its window: the new run is refused until that
          // session, once the lock is free, finishes the refresh; then it finds nothing left to do.
          assertThat(again.stdout().lines().filter(l -> !l.equals(MONTHLY_LINE)).toList())
              .containsExactly(Version.banner(), DONE);
          assertThat(again.stderr().lines().toList())
              .isNotEmpty()
              .allSatisfy(line -> assertThat(line).matches(concurrentRefreshWarning()));
        } else {
          assertThat(again.stdout().lines().toList())
              .containsExactly(Version.banner(), MONTHLY_LINE, DONE);
          assertThat(again.stderr()).isEmpty();
        }
      }
    }
    assertMatchesTheSource();
  }

  @Test
  void aSessionCutOffInsideARefreshIsRetried() throws Exception {
    try (Connection blocker = lockMonthly();
        Launched run = Launched.start(args())) {
      cutOffWhileWaiting(run, 1);
      Waits.await("the second attempt to wait for the lock", Duration.ofSeconds(60),
          () -> run.stdout().lines().filter(MONTHLY_LINE::equals).count() == 2 && toolWaitsForALock());
      blocker.commit();

      assertThat(run.exitCode(60)).as(run.stderr()).isZero();
      assertThat(run.stdout().lines().toList())
          .containsExactly(Version.banner(), DAILY_LINE, MONTHLY_LINE, MONTHLY_LINE, DONE);
      assertThat(run.stderr())
          .isEqualTo("Warning: attempt 1 of 5 failed, retrying in 1000 ms: " + lostSession() + "\n");
    }
    assertMatchesTheSource();
  }

  @Test
  void aStormOfCutOffSessionsStopsTheRunAfterFiveAttemptsAndARunAgainFinishes() throws Exception {
    try (Connection blocker = lockMonthly();
        Launched run = Launched.start(args())) {
      for (int attempt = 1; attempt <= 5; attempt++) {
        cutOffWhileWaiting(run, attempt);
      }
      assertThat(run.exitCode(60)).isEqualTo(1);
      List<String> expected = new ArrayList<>();
      for (int attempt = 1; attempt <= 4; attempt++) {
        expected.add("Warning: attempt " + attempt + " of 5 failed, retrying in "
            + (1000 << (attempt - 1)) + " ms: " + lostSession());
      }
      expected.add("Error: " + lostSession() + " (after 5 attempts). Aggregates already refreshed"
          + " stay so; run refresh-caggs again to resume.");
      assertThat(run.stderr().lines().toList()).containsExactlyElementsOf(expected);
      blocker.commit();
    }
    assertThat(watermark(target, "daily")).isEqualTo(watermark(source, "daily"));
    assertThat(watermark(target, "monthly")).isEqualTo(february());

    CliRun again = CliRun.of(args());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout().lines().toList()).containsExactly(Version.banner(), MONTHLY_LINE, DONE);
    assertMatchesTheSource();
  }

  @Test
  void aTargetGoneForAMomentIsRiddenOutEvenWhereOnlyTheSourceReconnects() throws Exception {
    ConnectionSettings t = target.settings();
    try (TcpProxy proxy = new TcpProxy(t.host(), t.port());
        Connection blocker = lockMonthly()) {
      String throughProxy =
          TestUrls.url(t.user(), t.password().orElseThrow(), "127.0.0.1", proxy.port(), t.database());
      try (Launched run =
          Launched.start("refresh-caggs", "--source", source.url(), "--target", throughProxy)) {
        Waits.await("the refresh of monthly to wait for the lock", Duration.ofSeconds(60),
            () -> run.stdout().contains(MONTHLY_LINE) && toolWaitsForALock());
        // The target vanishes: the second attempt, 1 s later, connects to the source but not to
        // the target, and must give the source's session back for the third.
        proxy.cut();
        Waits.await("the second attempt to fail", Duration.ofSeconds(30),
            () -> run.stderr().contains("attempt 2 of 5 failed"));
        proxy.restore();
        boolean refused = refusesConcurrentRefreshes();
        if (refused) {
          // The first attempt's server session still waits for the lock, unaware of the cut, and
          // has registered its window: the third attempt is refused as a concurrent refresh.
          Waits.await("the third attempt to be refused", Duration.ofSeconds(30),
              () -> run.stderr().contains("attempt 3 of 5 failed"));
        } else {
          // The first attempt's server session still waits for the lock too, unaware of the cut.
          Waits.await("the third attempt to wait for the lock", Duration.ofSeconds(30),
              () -> monthlyLines(run) == 2 && lockWaiters() == 2);
        }
        blocker.commit();

        assertThat(run.exitCode(60)).as(run.stderr()).isZero();
        List<String> warnings = run.stderr().lines().toList();
        if (refused) {
          assertThat(run.stdout().lines().filter(l -> !l.equals(MONTHLY_LINE)).toList())
              .containsExactly(Version.banner(), DAILY_LINE, DONE);
          assertThat(warnings.subList(2, warnings.size()))
              .isNotEmpty()
              .allSatisfy(line -> assertThat(line).matches(concurrentRefreshWarning()));
        } else {
          assertThat(run.stdout().lines().toList())
              .containsExactly(Version.banner(), DAILY_LINE, MONTHLY_LINE, MONTHLY_LINE, DONE);
          assertThat(warnings).hasSize(2);
        }
        String server = "the target server 127.0.0.1:" + proxy.port();
        assertThat(warnings.get(0))
            .startsWith("Warning: attempt 1 of 5 failed, retrying in 1000 ms: refreshing continuous"
                + " aggregate 'public'.'monthly' failed on " + server + ": ");
        assertThat(warnings.get(1))
            .isEqualTo("Warning: attempt 2 of 5 failed, retrying in 2000 ms: cannot connect to " + server
                + ": connection refused. Check that the server is running and that the host and port in"
                + " --target are right.");
      }
    }
    assertMatchesTheSource();
  }

  /**
   * TimescaleDB 2.27 and later register each refresh's window and refuse an overlapping one at once
   * (SQLSTATE 55P03) where older releases let it wait for the lock.
   */
  private boolean refusesConcurrentRefreshes() {
    return target.count("SELECT count(*) FROM pg_class WHERE oid = to_regclass("
        + "'_timescaledb_catalog.continuous_aggs_jobs_refresh_ranges')") == 1;
  }

  private String concurrentRefreshWarning() {
    return "Warning: attempt \\d of 5 failed, retrying in \\d+ ms: refreshing continuous aggregate"
        + " 'public'.'monthly' failed on the target server [0-9.:]+: could not refresh continuous"
        + " aggregate \"monthly\" due to a concurrent refresh \\(SQLSTATE 55P03\\)";
  }

  /** Waits for attempt {@code attempt} to wait for the lock in monthly's refresh; ends its session. */
  private void cutOffWhileWaiting(Launched run, int attempt) throws InterruptedException {
    Waits.await("attempt " + attempt + " to wait for the lock", Duration.ofSeconds(60),
        () -> monthlyLines(run) == attempt && toolWaitsForALock());
    ToolSessions.terminate(target, ToolSessions.WAITING_FOR_A_LOCK);
  }

  private static long monthlyLines(Launched run) {
    return run.stdout().lines().filter(MONTHLY_LINE::equals).count();
  }

  private String lostSession() {
    return "refreshing continuous aggregate 'public'.'monthly' failed on the target server "
        + target.settings().address() + ": terminating connection due to administrator command"
        + " (SQLSTATE 57P01)";
  }

  /** Another session's transaction holding monthly's materialization hypertable; commit to release. */
  private Connection lockMonthly() throws Exception {
    String materialization =
        target.string(
            "SELECT format('%I.%I', h.schema_name, h.table_name) FROM _timescaledb_catalog.continuous_agg c"
                + " JOIN _timescaledb_catalog.hypertable h ON h.id = c.mat_hypertable_id"
                + " WHERE c.user_view_name = 'monthly'");
    Connection connection = target.connect();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE " + materialization + " IN ACCESS EXCLUSIVE MODE");
    }
    return connection;
  }

  private boolean toolWaitsForALock() {
    return lockWaiters() > 0;
  }

  private long lockWaiters() {
    return ToolSessions.count(target, ToolSessions.WAITING_FOR_A_LOCK);
  }

  private static long watermark(TestDatabase db, String view) {
    return db.count(
        "SELECT w.watermark FROM _timescaledb_catalog.continuous_agg c"
            + " JOIN _timescaledb_catalog.continuous_aggs_watermark w USING (mat_hypertable_id)"
            + " WHERE c.user_view_name = '" + view + "'");
  }

  private long february() {
    return source.count("SELECT _timescaledb_functions.to_unix_microseconds('2024-02-01')");
  }

  /**
   * Watermarks equal, and from February on every bucket of both aggregates equal (the target's
   * January buckets were never materialized here: a backfill copies them as chunks).
   */
  private void assertMatchesTheSource() {
    for (String view : List.of("daily", "monthly")) {
      assertThat(watermark(target, view)).as(view).isEqualTo(watermark(source, view));
      String bucket = view.equals("daily") ? "day" : "month";
      String query = "SELECT * FROM " + view + " WHERE " + bucket + " >= '2024-02-01' ORDER BY 1, 2";
      List<List<Object>> expected = source.rows(query);
      assertThat(expected).as(view).hasSize(view.equals("daily") ? 60 * 3 : 2 * 3);
      assertThat(target.rows(query)).as(view).isEqualTo(expected);
    }
    CliRun third = CliRun.of(args());
    assertThat(third.exitCode()).as(third.stderr()).isZero();
    assertThat(third.stdout().lines().toList()).containsExactly(Version.banner(), DONE);
  }
}
