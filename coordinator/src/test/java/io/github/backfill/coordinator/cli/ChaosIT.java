package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault injection with real servers and real processes: N trials of every {@link Fault}, each with
 * a random seed that is logged (and replayed with {@code -Dchaos.seed=S -Dchaos.faults=NAME}).
 *
 * <p>Every trial runs an application dual-writing into the edge chunk on both sides for its whole
 * length, injects its fault into a {@code copy} (or {@code stage}) run, then runs {@code copy} again
 * as an operator would until it succeeds, and ends with: the target holding exactly the source's rows
 * for the staged range (row-set comparison, so a lost or duplicated row fails), every dual-written
 * row on both sides exactly once, every task copied, and the exit codes of CLI.md on the way.
 *
 * <p>The trial count comes from {@code -Dchaos.trials} (default 3: what CI runs); {@code
 * scripts/chaos N} runs this class alone with N trials and summarizes {@code
 * target/chaos-results.tsv}, one line a trial.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final int TRIALS = Integer.getInteger("chaos.trials", 3);
  private static final String REPLAY_SEED = System.getProperty("chaos.seed", "");
  private static final String ONLY_FAULTS = System.getProperty("chaos.faults", "");
  private static final Path RESULTS = Path.of(System.getProperty("chaos.results", "target/chaos-results.tsv"));

  /** Rows in the big chunk, 2024-01-01; a trigger on its target chunk makes its COPY last 2 s or more. */
  private static final int BIG_ROWS = 100_000;
  private static final String UNTIL = "2024-01-03 12:00:00+00";
  private static final String TOOL = "application_name = 'timescaledb-backfill' AND datname = current_database()";
  private static final int PAUSE_LOCK = 4242;

  /** The faults, each injected into a run of the real launcher in its own process. */
  enum Fault {
    TERMINATE_SOURCE_BACKEND("pg_terminate_backend of the source connection mid-COPY"),
    TERMINATE_TARGET_BACKEND("pg_terminate_backend of the target connection mid-COPY"),
    RESTART_TARGET("target server restarted mid-COPY"),
    RESTART_SOURCE("source server restarted mid-COPY"),
    KILL_DURING_STAGE("kill -9 of stage"),
    KILL_MID_COPY("kill -9 of copy mid-COPY"),
    KILL_BEFORE_COMMIT("kill -9 of copy between the COPY and the commit"),
    DUAL_WRITES("three dual-writers into the edge chunk while it is copied"),
    LOW_SERVER_TIMEOUTS("low statement, lock and idle-in-transaction timeouts on both servers, a held lock and a deadlock"),
    TRANSIENT_STORM("a storm of transient failures on one chunk");

    final String description;

    Fault(String description) {
      this.description = description;
    }
  }

  private TestDatabase source;
  private TestDatabase target;

  @BeforeAll
  void data() {
    source = dbs.source();
    target = dbs.target();
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO m SELECT '2023-12-31'::timestamptz + g * interval '1 minute', g % 7, g FROM generate_series(0, 499) g",
        "INSERT INTO m SELECT '2024-01-01'::timestamptz + g * interval '800 milliseconds', g % 10, g"
            + " FROM generate_series(1, " + BIG_ROWS + ") g",
        "INSERT INTO m SELECT '2024-01-02'::timestamptz + g * interval '1 minute', g % 5, g FROM generate_series(0, 1439) g",
        // The edge chunk: --until cuts it at noon; the dual-writes land after noon.
        "INSERT INTO m SELECT '2024-01-03'::timestamptz + g * interval '30 seconds', g % 5, g FROM generate_series(0, 2879) g");
    Skeleton.copy(source, target);
    // The slow consumer: 20 ms every 1,000 rows, on the big chunk's target table only. It also
    // publishes how far the COPY got (the big chunk's val is its row number) in a sequence, whose
    // setval other sessions see at once: pg_stat_progress_copy counts no rows for a COPY into a chunk
    // from TimescaleDB 2.27 on, whose own COPY path takes them.
    target.execute(
        "CREATE SEQUENCE chaos_progress MINVALUE 0",
        "CREATE FUNCTION chaos_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.val::bigint % 1000 = 0 THEN PERFORM setval('chaos_progress', NEW.val::bigint);"
            + " PERFORM pg_sleep(0.02); END IF; RETURN NEW; END $$");
    try {
      Files.createDirectories(RESULTS.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  void serversUp() {
    // A failed restart trial must not leave a server down for the classes after this one.
    if (canRestartServers()) {
      script("up");
    }
  }

  @TestFactory
  Stream<DynamicTest> trials() {
    Set<String> only = Arrays.stream(ONLY_FAULTS.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.toUpperCase(Locale.ROOT))
        .collect(Collectors.toSet());
    Set<String> known = Arrays.stream(Fault.values()).map(Fault::name).collect(Collectors.toSet());
    assertThat(known).as("the faults named by -Dchaos.faults").containsAll(only);
    SecureRandom seeds = new SecureRandom();
    List<DynamicTest> tests = new ArrayList<>();
    // Round by round, so that a long run stopped early has as many trials of every fault.
    for (int i = 1; i <= TRIALS; i++) {
      for (Fault fault : Fault.values()) {
        if (!only.isEmpty() && !only.contains(fault.name())) {
          continue;
        }
        long seed = REPLAY_SEED.isBlank() ? seeds.nextLong() : Long.parseLong(REPLAY_SEED.strip());
        int trial = i;
        tests.add(DynamicTest.dynamicTest(fault + " trial " + trial + "/" + TRIALS + " seed " + seed,
            () -> trial(fault, trial, seed)));
      }
    }
    return tests.stream();
  }

  // --- one trial -------------------------------------------------------------------------------

  private void trial(Fault fault, int trial, long seed) throws Exception {
    if ((fault == Fault.RESTART_SOURCE || fault == Fault.RESTART_TARGET) && !canRestartServers()) {
      String reason = "SKIPPED: " + fault + " needs root and the local servers (scripts/timescaledb restart)";
      System.err.println(reason);
      record(fault, trial, seed, "SKIPPED", 0, reason);
      Assumptions.abort(reason);
    }
    System.err.println("CHAOS " + fault + " trial " + trial + "/" + TRIALS + " seed " + seed + ": " + fault.description);
    Random random = new Random(seed);
    long started = System.nanoTime();
    String outcome = "FAIL";
    StringBuilder note = new StringBuilder();
    try {
      freshTrial();
      try (DualWriters writers = new DualWriters(fault == Fault.DUAL_WRITES ? 3 : 1)) {
        int firstExit = inject(fault, random, note);
        int reruns = rerunUntilCopied();
        writers.stop();
        note.append("first run exit ").append(firstExit).append(", re-runs ").append(reruns).append("; ")
            .append(writers.summary());
        assertIntact(writers);
      }
      outcome = "PASS";
    } catch (Throwable e) {
      note.append(" FAILED: ").append(String.valueOf(e.getMessage()).lines().map(String::strip)
          .filter(l -> !l.isEmpty()).limit(3).collect(Collectors.joining(" ")));
      throw e;
    } finally {
      double seconds = (System.nanoTime() - started) / 1e9;
      System.err.println("CHAOS " + fault + " trial " + trial + " seed " + seed + " " + outcome
          + String.format(Locale.ROOT, " in %.1f s: ", seconds) + note);
      record(fault, trial, seed, outcome, seconds, note.toString());
    }
  }

  /** The trial's starting point: nothing staged, the target's chunks gone, no leftover settings. */
  private void freshTrial() throws Exception {
    for (TestDatabase db : List.of(source, target)) {
      db.execute("ALTER DATABASE " + db.name() + " RESET ALL");
    }
    Waits.await("the tool's sessions of the last trial to end", Duration.ofSeconds(60),
        () -> toolSessions(target, "true") == 0 && toolSessions(source, "true") == 0);
    target.execute("DROP SCHEMA IF EXISTS __backfill CASCADE", "TRUNCATE m");
    source.execute("DELETE FROM m WHERE device = -1");
  }

  /** Injects the fault into a first run; returns that run's exit code. */
  private int inject(Fault fault, Random random, StringBuilder note) throws Exception {
    return switch (fault) {
      case TERMINATE_SOURCE_BACKEND, TERMINATE_TARGET_BACKEND -> terminateMidCopy(fault, random, note);
      case RESTART_SOURCE, RESTART_TARGET -> restartMidCopy(fault, random, note);
      case KILL_DURING_STAGE -> killDuringStage(random, note);
      case KILL_MID_COPY -> killMidCopy(random, note);
      case KILL_BEFORE_COMMIT -> killBeforeCommit(random, note);
      case DUAL_WRITES -> plainCopy();
      case LOW_SERVER_TIMEOUTS -> lowServerTimeouts(random, note);
      case TRANSIENT_STORM -> transientStorm(random, note);
    };
  }

  /**
   * On loopback the source has usually sent the whole big chunk into the socket buffers while the
   * slow target still writes it, so its session is then idle in its transaction: half of the source
   * trials hold a lock on the source chunk instead, so that the source's COPY is running when it is
   * cut.
   */
  private int terminateMidCopy(Fault fault, Random random, StringBuilder note) throws Exception {
    stage();
    boolean sourceSide = fault == Fault.TERMINATE_SOURCE_BACKEND;
    boolean sourceBlocked = sourceSide && random.nextBoolean();
    try (Connection holder = source.connect(); Statement statement = holder.createStatement();
        Launched copy = copy()) {
      holder.setAutoCommit(false);
      long killed;
      boolean midStream = true;
      if (sourceBlocked) {
        statement.execute("LOCK TABLE " + sourceChunkOf("2024-01-01") + " IN ACCESS EXCLUSIVE MODE");
        Waits.await("the source COPY to wait for the lock", Duration.ofSeconds(120),
            () -> toolSessions(source, "query LIKE 'COPY %TO STDOUT%' AND wait_event_type = 'Lock'") > 0 || !copy.alive());
        Thread.sleep(random.nextInt(300));
        killed = source.count("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
            + TOOL + " AND query LIKE 'COPY %TO STDOUT%' AND wait_event_type = 'Lock'");
        holder.rollback();
        note.append("terminated ").append(killed).append(" source session(s) in a COPY waiting for a lock; ");
      } else {
        long at = awaitBigCopyAt(random, copy);
        TestDatabase side = sourceSide ? source : target;
        String query = sourceSide ? "COPY %TO STDOUT%" : "COPY %FROM STDIN%";
        // Its state tells whether its client still waits for rows (active) or has them all (idle
        // in transaction: the chunk's COPY is over on this side and only the commit is left).
        List<List<Object>> states = side.rows("SELECT state FROM (SELECT state, pg_terminate_backend(pid) AS ended"
            + " FROM pg_stat_activity WHERE " + TOOL + " AND query LIKE '" + query + "') s WHERE ended");
        killed = states.size();
        midStream = states.stream().anyMatch(row -> "active".equals(row.get(0)));
        note.append("terminated ").append(killed).append(" ").append(sourceSide ? "source" : "target")
            .append(" session(s) (").append(states.stream().map(row -> String.valueOf(row.get(0)))
                .collect(Collectors.joining(", ")))
            .append(") at row ").append(at).append(" of the big chunk; ");
      }
      assertThat(killed).as("a COPY session to terminate").isPositive();
      int code = copy.exitCode(180);
      assertCleanExit(copy, code, Set.of(0));
      assertAllCopiedBy(copy);
      if (midStream) {
        assertThat(copy.stderr()).contains("failed (attempt 1 of 5), retrying in 1000 ms");
      } else {
        // A source session lost after sending its whole chunk costs the chunk nothing.
        assertThat(copy.stderr()).doesNotContain("failed (attempt");
      }
      return code;
    }
  }

  private int restartMidCopy(Fault fault, Random random, StringBuilder note) throws Exception {
    stage();
    try (Launched copy = copy()) {
      long at = awaitBigCopyAt(random, copy);
      String name = fault == Fault.RESTART_SOURCE ? "source" : "target";
      try {
        script("restart", name);
      } catch (RuntimeException e) {
        script("up");
        throw e;
      }
      note.append("restarted ").append(name).append(" at row ").append(at).append(" of the big chunk; ");
      int code = copy.exitCode(180);
      // The worker retries; the run may still end with a clear error if the coordinator's own
      // session was cut (exit 1), and then the operator's re-run finishes it.
      assertCleanExit(copy, code, Set.of(0, 1));
      if (code == 0) {
        assertAllCopiedBy(copy);
      }
      return code;
    }
  }

  private int killDuringStage(Random random, StringBuilder note) throws Exception {
    boolean blocked = random.nextBoolean();
    int code;
    try (Connection holder = target.connect(); Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      if (blocked) {
        // Stage creates the target's chunks through the hypertable: this lock stops it there.
        statement.execute("LOCK TABLE m IN SHARE MODE");
      }
      try (Launched stage = Launched.start(CliRun.args(source, target, "stage", "--until", UNTIL))) {
        if (blocked) {
          Waits.await("stage to wait for the hypertable's lock", Duration.ofSeconds(120),
              () -> toolSessions(target, "wait_event_type = 'Lock'") > 0 || !stage.alive());
          Thread.sleep(random.nextInt(300));
        } else {
          Waits.await("stage to connect to the target", Duration.ofSeconds(120),
              () -> toolSessions(target, "true") > 0 || !stage.alive());
          Thread.sleep(random.nextInt(600));
        }
        stage.signal("KILL");
        code = stage.exitCode(30);
        note.append(blocked ? "killed while creating chunks" : "killed at a random moment")
            .append(code == 0 ? " (stage had already finished)" : "").append("; ");
        if (blocked) {
          assertThat(code).isEqualTo(137);
        } else {
          assertThat(code).isIn(0, 137);
        }
      }
      holder.rollback();
    }
    awaitNoToolSessions();
    CliRun again = CliRun.between(source, target, "stage", "--until", UNTIL);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    slowBigChunk();
    CliRun copy = CliRun.between(source, target, "copy", "-p", "2");
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    return code;
  }

  private int killMidCopy(Random random, StringBuilder note) throws Exception {
    stage();
    try (Launched copy = copy()) {
      long at = awaitBigCopyAt(random, copy);
      copy.signal("KILL");
      note.append("killed at row ").append(at).append(" of the big chunk; ");
      int code = copy.exitCode(30);
      assertThat(code).isEqualTo(137);
      awaitNoToolSessions();
      assertThat(target.count("SELECT count(*) FROM " + bigTargetChunk())).as("the big chunk rolled back").isZero();
      return code;
    }
  }

  /**
   * The pause point between the COPY and the commit is the database's own: a deferred constraint
   * trigger on the task table that, at commit, waits for an advisory lock the test holds. The target
   * checks its clients while they wait, so a killed tool's transaction is rolled back.
   */
  private int killBeforeCommit(Random random, StringBuilder note) throws Exception {
    stage();
    target.execute(
        "ALTER DATABASE " + target.name() + " SET client_connection_check_interval = '200ms'",
        "CREATE FUNCTION __backfill.chaos_pause() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " PERFORM pg_advisory_xact_lock_shared(" + PAUSE_LOCK + "); RETURN NULL; END $$",
        "CREATE CONSTRAINT TRIGGER chaos_pause AFTER UPDATE ON __backfill.task DEFERRABLE INITIALLY DEFERRED"
            + " FOR EACH ROW WHEN (OLD.worked IS NULL AND NEW.worked IS NOT NULL) EXECUTE FUNCTION __backfill.chaos_pause()");
    int code;
    try (Connection holder = target.connect(); Statement statement = holder.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + PAUSE_LOCK + ")");
      try (Launched copy = copy()) {
        // 1 or 2 chunks at their commit, all copied and marked, none committed.
        int paused = 1 + random.nextInt(2);
        Waits.await(paused + " chunk(s) to reach the commit", Duration.ofSeconds(120),
            () -> toolSessions(target, "wait_event = 'advisory'") >= paused || !copy.alive());
        Thread.sleep(random.nextInt(300));
        long waiting = toolSessions(target, "wait_event = 'advisory'");
        copy.signal("KILL");
        code = copy.exitCode(30);
        assertThat(code).isEqualTo(137);
        note.append("killed with ").append(waiting).append(" chunk(s) between COPY and commit; ");
        awaitNoToolSessions();
        assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NOT NULL"))
            .as("no chunk committed").isZero();
        assertThat(target.count("SELECT count(*) FROM m WHERE device <> -1")).as("no copied row committed").isZero();
      }
      statement.execute("SELECT pg_advisory_unlock(" + PAUSE_LOCK + ")");
    }
    target.execute("DROP TRIGGER chaos_pause ON __backfill.task",
        "ALTER DATABASE " + target.name() + " RESET client_connection_check_interval");
    return code;
  }

  private int plainCopy() throws Exception {
    stage();
    try (Launched copy = copy()) {
      int code = copy.exitCode(180);
      assertCleanExit(copy, code, Set.of(0));
      assertAllCopiedBy(copy);
      return code;
    }
  }

  /**
   * Server defaults that would break the tool if its own session settings did not win: a 100 ms
   * statement timeout (the big chunk's COPY lasts seconds), a 50 ms lock timeout (a chunk's lock is
   * held for longer), a 200 ms idle-in-transaction timeout (the source transaction idles while the
   * target waits). Then a deadlock on the waiting chunk: the lock it cannot get fails its attempt,
   * which is retried, not failed.
   */
  private int lowServerTimeouts(Random random, StringBuilder note) throws Exception {
    for (TestDatabase db : List.of(source, target)) {
      db.execute("ALTER DATABASE " + db.name() + " SET statement_timeout = '100ms'",
          "ALTER DATABASE " + db.name() + " SET lock_timeout = '50ms'",
          "ALTER DATABASE " + db.name() + " SET idle_in_transaction_session_timeout = '200ms'");
    }
    // The tool's sessions run their deadlock check 3 s into a wait; the test's own much later.
    target.execute("ALTER DATABASE " + target.name() + " SET deadlock_timeout = '3s'");
    stage();
    String small = targetChunkOf("2024-01-02");
    String smallTask = source.string("SELECT chunk_name FROM timescaledb_information.chunks"
        + " WHERE hypertable_name = 'm' AND range_start = '2024-01-02 00:00:00+00'");
    int code;
    try (Connection holder = target.connect(); Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      statement.execute("SET deadlock_timeout = '1min'");
      statement.execute("LOCK TABLE " + small + " IN ACCESS EXCLUSIVE MODE");
      try (Launched copy = copy()) {
        Waits.await("the copy to wait for the held lock", Duration.ofSeconds(120),
            () -> toolSessions(target, "wait_event_type = 'Lock'") > 0 || !copy.alive());
        int held = 200 + random.nextInt(1000);
        Thread.sleep(held);
        // The test now waits for the task row the tool holds while the tool waits for the chunk:
        // a deadlock, found by the tool's session.
        statement.execute("SELECT 1 FROM __backfill.task WHERE chunk_name = '" + smallTask + "' FOR UPDATE");
        holder.rollback();
        note.append("lock held ").append(held).append(" ms, then a deadlock; ");
        code = copy.exitCode(180);
        assertCleanExit(copy, code, Set.of(0));
        assertAllCopiedBy(copy);
        assertThat(copy.stderr())
            .contains("deadlock detected")
            .contains("failed (attempt 1 of 5), retrying in 1000 ms")
            .doesNotContain("lock timeout")
            .doesNotContain("statement timeout")
            .doesNotContain("idle-in-transaction");
      }
    }
    assertThat(target.count("SELECT attempts FROM __backfill.task WHERE chunk_name = '" + smallTask + "'")).isEqualTo(2);
    assertThat(target.count("SELECT max(attempts) FROM __backfill.task WHERE chunk_name <> '" + smallTask + "'")).isEqualTo(1);
    return code;
  }

  /**
   * Every attempt at one chunk is cut by the server: five attempts with backoff, then a clear stop
   * (exit 1) naming the chunk, the error on the task and in {@code status}; once the storm is over a
   * re-run copies it.
   */
  private int transientStorm(Random random, StringBuilder note) throws Exception {
    stage();
    String day = random.nextBoolean() ? "2024-01-02" : "2023-12-31";
    String chunk = targetChunkOf(day);
    int pause = 20 + random.nextInt(200);
    AtomicBoolean storming = new AtomicBoolean(true);
    AtomicInteger terminated = new AtomicInteger();
    int code;
    try (Connection holder = target.connect(); Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      statement.execute("LOCK TABLE " + chunk + " IN ACCESS EXCLUSIVE MODE");
      Thread storm = new Thread(() -> {
        while (storming.get()) {
          try {
            terminated.addAndGet((int) target.count("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                + " FROM pg_stat_activity WHERE " + TOOL + " AND wait_event_type = 'Lock'"));
            Thread.sleep(pause);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // A poll that failed: the next one comes.
          }
        }
      });
      storm.start();
      try (Launched copy = copy()) {
        code = copy.exitCode(180);
        assertCleanExit(copy, code, Set.of(1));
        String error = copy.stderr().lines().filter(l -> l.startsWith("Error: ")).findFirst().orElse("");
        assertThat(error)
            .startsWith("Error: failed to copy chunk \"_timescaledb_internal\".\"")
            .endsWith(": terminating connection due to administrator command (after 5 attempts)."
                + " Chunks already copied stay so; run the command again to resume.");
        assertThat(copy.stderr()).contains("failed (attempt 4 of 5), retrying in 8000 ms");
      } finally {
        storming.set(false);
        storm.join();
      }
      note.append("the storm ended ").append(terminated.get()).append(" attempts on ").append(day).append("; ");
      assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(1);
      assertThat(target.string("SELECT last_error FROM __backfill.task WHERE worked IS NULL"))
          .contains("terminating connection due to administrator command");
      CliRun status = CliRun.of("status", "--target", target.url());
      assertThat(status.exitCode()).isZero();
      assertThat(status.stdout()).contains("Last error in public.m: ")
          .contains("terminating connection due to administrator command");
      holder.rollback();
    }
    return code;
  }

  // --- runs and checks ---------------------------------------------------------------------------

  private void stage() {
    CliRun stage = CliRun.between(source, target, "stage", "--until", UNTIL);
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    slowBigChunk();
  }

  private void slowBigChunk() {
    target.execute("SELECT setval('chaos_progress', 0)",
        "CREATE TRIGGER chaos_slow BEFORE INSERT ON " + bigTargetChunk()
        + " FOR EACH ROW EXECUTE FUNCTION chaos_slow()");
  }

  private Launched copy() {
    return Launched.start(CliRun.args(source, target, "copy", "-p", "2"));
  }

  /** Copies again, as an operator would, until a run succeeds; returns how many runs it took. */
  private int rerunUntilCopied() throws Exception {
    for (int run = 1; run <= 3; run++) {
      awaitNoToolSessions();
      CliRun copy = CliRun.between(source, target, "copy", "-p", "2");
      assertThat(copy.exitCode()).as(copy.stderr()).isIn(0, 1);
      assertThat(copy.stderr()).doesNotContain("\tat ");
      if (copy.exitCode() == 0) {
        return run;
      }
    }
    throw new AssertionError("copy did not succeed in 3 re-runs");
  }

  /** The trial's end state: exactly the source's rows in range, dual-writes intact, all copied. */
  private void assertIntact(DualWriters writers) {
    Rows.assertSame(source, target, "SELECT * FROM m WHERE time < '" + UNTIL + "'");
    Rows.assertSame(source, target, "SELECT * FROM m WHERE device = -1");
    assertThat(target.count("SELECT count(*) FROM m WHERE device = -1")).isEqualTo(writers.written());
    assertThat(target.count("SELECT count(*) FROM m WHERE time >= '" + UNTIL + "' AND device <> -1")).isZero();
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();
    assertThat(writers.deadlocks()).as("dual-writes that deadlocked").isZero();
  }

  /** An exit code CLI.md allows here, and on failure one clean {@code Error:} line, no stack trace. */
  private static void assertCleanExit(Launched run, int code, Set<Integer> allowed) {
    assertThat(code).as(run.stderr()).isIn(allowed.toArray());
    assertThat(run.stderr()).doesNotContain("\tat ").doesNotContain("Exception:");
    if (code != 0) {
      assertThat(run.stderr().lines().filter(l -> l.startsWith("Error: ")).count()).as(run.stderr()).isEqualTo(1);
    }
  }

  /** A run that succeeded copied, and reported, every staged chunk itself. */
  private static void assertAllCopiedBy(Launched run) {
    assertThat(run.stdout()).as(run.stderr()).contains("[4/4] Copied chunk").contains(" from 4 chunks in ")
        .doesNotContain("held or done by another process");
  }

  /** Waits for the big chunk's COPY to pass a random row; returns the row count it reached. */
  private long awaitBigCopyAt(Random random, Launched copy) throws InterruptedException {
    long threshold = 1000 + random.nextInt(BIG_ROWS * 4 / 5 - 1000);
    String progress = "SELECT last_value FROM chaos_progress";
    long[] at = {0};
    Waits.await("the big chunk's COPY to reach row " + threshold, Duration.ofSeconds(120), () -> {
      if (!copy.alive()) {
        throw new AssertionError("copy ended before the fault: " + copy.stderr());
      }
      at[0] = target.count(progress);
      return at[0] >= threshold;
    });
    return at[0];
  }

  private String sourceChunkOf(String day) {
    return source.string("SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
        + " WHERE hypertable_name = 'm' AND range_start = '" + day + " 00:00:00+00'");
  }

  private String bigTargetChunk() {
    return targetChunkOf("2024-01-01");
  }

  private String targetChunkOf(String day) {
    return target.string("SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
        + " WHERE hypertable_name = 'm' AND range_start = '" + day + " 00:00:00+00'");
  }

  private static long toolSessions(TestDatabase db, String condition) {
    try {
      return db.count("SELECT count(*) FROM pg_stat_activity WHERE " + TOOL + " AND " + condition);
    } catch (RuntimeException e) {
      // The server is restarting.
      return -1;
    }
  }

  private void awaitNoToolSessions() throws InterruptedException {
    Waits.await("the servers to end the tool's sessions", Duration.ofSeconds(60),
        () -> toolSessions(target, "true") == 0 && toolSessions(source, "true") == 0);
  }

  private static boolean canRestartServers() {
    boolean root = "0".equals(Processes.run(List.of("id", "-u"), null, null).stdout().strip());
    return root && TestServers.get().kind() == TestServers.Kind.LOCAL;
  }

  private static void script(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestServers.repositoryRoot().resolve("scripts/timescaledb").toString());
    command.addAll(List.of(args));
    Processes.run(command, null, null).requireSuccess();
  }

  private static void record(Fault fault, int trial, long seed, String outcome, double seconds, String note) {
    String line = String.join("\t", fault.name(), Integer.toString(trial), Long.toString(seed), outcome,
        String.format(Locale.ROOT, "%.1f", seconds), note.replace('\t', ' ').replace('\n', ' ')) + "\n";
    try {
      Files.writeString(RESULTS, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- the application ---------------------------------------------------------------------------

  /**
   * The application's dual-writes: each writer inserts rows after --until into the edge chunk, on the
   * source and then on the target, every 5 ms, and like a careful application retries a failed write
   * on a new connection (idempotently) until it is on both sides. Target insert times are measured.
   */
  private final class DualWriters implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger deadlocks = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    DualWriters(int count) {
      for (int w = 0; w < count; w++) {
        int writer = w;
        Thread thread = new Thread(() -> write(writer, count));
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void write(int writer, int count) {
      Instant from = Instant.parse("2024-01-03T12:00:00.500Z");
      Connection[] connections = new Connection[2];
      try {
        for (int i = writer; running.get(); i += count) {
          Timestamp time = Timestamp.from(from.plusMillis(200L * i));
          for (int side = 0; side < 2; side++) {
            long started = System.nanoTime();
            while (true) {
              try {
                if (connections[side] == null) {
                  connections[side] = (side == 0 ? source : target).connect();
                }
                try (PreparedStatement insert = connections[side].prepareStatement(
                    // The bound keeps the check on the edge chunk: the planner
                    // excludes the others, so a test's lock on another chunk never stalls it.
                    "INSERT INTO m SELECT ?, -1, ? WHERE NOT EXISTS (SELECT 1 FROM m WHERE device = -1 AND time = ?"
                        + " AND time >= '" + UNTIL + "')")) {
                  insert.setTimestamp(1, time);
                  insert.setDouble(2, i);
                  insert.setTimestamp(3, time);
                  insert.executeUpdate();
                }
                break;
              } catch (SQLException e) {
                errors.incrementAndGet();
                if ("40P01".equals(DbErrors.sqlState(e))) {
                  deadlocks.incrementAndGet();
                }
                close(connections, side);
                Thread.sleep(100);
              }
            }
            if (side == 1) {
              waits.add((System.nanoTime() - started) / 1_000_000);
            }
          }
          written.incrementAndGet();
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failures.add(e);
      } finally {
        close(connections, 0);
        close(connections, 1);
      }
    }

    private static void close(Connection[] connections, int side) {
      if (connections[side] != null) {
        try {
          connections[side].close();
        } catch (SQLException ignored) {
          // Already gone.
        }
        connections[side] = null;
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(120_000);
        assertThat(thread.isAlive()).as("a dual-writer stuck").isFalse();
      }
      assertThat(failures).isEmpty();
    }

    int written() {
      return written.get();
    }

    int deadlocks() {
      return deadlocks.get();
    }

    String summary() {
      List<Long> sorted = new ArrayList<>(waits);
      Collections.sort(sorted);
      if (sorted.isEmpty()) {
        return "no dual-writes";
      }
      return threads.size() + " writer(s), " + written.get() + " dual-writes, " + errors.get()
          + " failed attempts retried, target insert wait median " + sorted.get(sorted.size() / 2) + " ms, p99 "
          + sorted.get((int) (sorted.size() * 0.99)) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(120_000);
      }
    }
  }
}
