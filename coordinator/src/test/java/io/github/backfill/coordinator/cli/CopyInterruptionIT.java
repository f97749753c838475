package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interrupting copy as operators and machines do, through the real launcher in its own process:
 * one SIGINT, two SIGINTs, {@code kill -9} mid-COPY, a connection killed by the server, a chunk that
 * cannot be copied; and verify killed, or its session ended, inside a chunk. Every case ends, after a re-run where needed, with exactly the source's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyInterruptionIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  /** Rows in the big chunk: enough that its COPY runs for a second or more. */
  private static final int BIG_ROWS = 2_000_000;
  private static final String ROWS_HASH =
      "SELECT count(*) || '/' || coalesce(sum(hashtext(t::text)::numeric), 0) FROM (SELECT * FROM %s) t";

  private TestDatabase source;
  private TestDatabase target;

  @BeforeAll
  void data() {
    source = dbs.source();
    target = dbs.target();
    source.execute(
        "CREATE TABLE small (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('small', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO small SELECT t, d, d FROM generate_series('2024-01-01'::timestamptz, '2024-01-02 23:00', '1 hour') t,"
            + " generate_series(1, 10) d",
        "CREATE TABLE big (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('big', 'time', chunk_time_interval => interval '1 year')",
        "INSERT INTO big SELECT '2020-01-01'::timestamptz + g * interval '1 second', g % 100, g"
            + " FROM generate_series(1, " + BIG_ROWS + ") g");
    Skeleton.copy(source, target);
  }

  @BeforeEach
  void emptyTarget() {
    target.execute("DROP SCHEMA IF EXISTS __backfill CASCADE", "DELETE FROM small", "DELETE FROM big");
  }

  private String[] args(String command, String... flags) {
    return CliRun.args(source, target, command, flags);
  }

  private void stage(String filter) {
    CliRun stage = CliRun.of(args("stage", "--until", "2030-01-01", "--filter", filter));
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
  }


  /** Whether one of the tool's target sessions is in the state {@code condition} describes. */
  private boolean toolSession(String condition) {
    return ToolSessions.count(target, condition) > 0;
  }

  private String hash(TestDatabase db, String table) {
    return db.string(String.format(ROWS_HASH, table));
  }

  /** The target chunk of 2024-01-02, the newest: copy starts with it. */
  private String smallChunkNewest() {
    return target.string("SELECT show_chunks('small', newer_than => '2024-01-01 12:00'::timestamptz)::text");
  }

  /**
   * As an operator starts it, and as a script's {@code timescaledb-backfill copy ... &} does: bash
   * starts a background job of a non-interactive shell with SIGINT ignored, and a JVM would then
   * install no handler for it.
   */
  @ParameterizedTest(name = "started in the background by a script: {0}")
  @ValueSource(booleans = {false, true})
  void aFirstSigintFinishesTheRunningChunkAndExitsZero(boolean inBackground) throws Exception {
    stage("small");
    // Holding the newest chunk's lock keeps its copy in flight, waiting, until the test lets go.
    try (Connection blocker = target.connect(); Statement lock = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      lock.execute("LOCK TABLE " + smallChunkNewest() + " IN ACCESS EXCLUSIVE MODE");
      String[] copyArgs = args("copy", "-p", "1");
      try (Launched copy = inBackground ? Launched.inBackground(copyArgs) : Launched.start(copyArgs)) {
        Waits.await("the copy to wait for the lock", Duration.ofSeconds(60), () -> toolSession("wait_event_type = 'Lock'"));
        copy.signal("INT");
        Waits.await("the shutdown message", Duration.ofSeconds(10),
            () -> copy.stdout().contains("Shutting down, waiting for in-progress copies to complete..."));
        Thread.sleep(500);
        assertThat(copy.alive()).isTrue();
        blocker.commit();

        assertThat(copy.exitCode(60)).as(copy.stderr()).isZero();
        assertThat(copy.stdout())
            .contains("Copying 2 chunks with 1 workers")
            .containsPattern("\\[1/2\\] Copied chunk \"_timescaledb_internal\"\\.\"_hyper_\\d+_\\d+_chunk\"")
            .doesNotContain("[2/2]")
            .contains(" from 1 chunks in ");
      }
    }
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(1);
    assertThat(target.count("SELECT count(*) FROM small")).isEqualTo(240);

    CliRun resume = CliRun.of(args("copy"));
    assertThat(resume.exitCode()).isZero();
    assertThat(hash(target, "small")).isEqualTo(hash(source, "small"));
  }

  @Test
  void aSecondSigintRollsBackAndExits130() throws Exception {
    stage("small");
    try (Connection blocker = target.connect(); Statement lock = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      lock.execute("LOCK TABLE " + smallChunkNewest() + " IN ACCESS EXCLUSIVE MODE");
      try (Launched copy = Launched.start(args("copy", "-p", "1"))) {
        Waits.await("the copy to wait for the lock", Duration.ofSeconds(60), () -> toolSession("wait_event_type = 'Lock'"));
        copy.signal("INT");
        Waits.await("the shutdown message", Duration.ofSeconds(10), () -> copy.stdout().contains("Shutting down"));
        copy.signal("INT");

        assertThat(copy.exitCode(30)).isEqualTo(130);
        assertThat(copy.stdout())
            .contains("Terminating immediately.\nCopied 0B from 0 chunks in ")
            .doesNotContain("[1/2]");
      }
      blocker.commit();
    }
    Waits.await("the killed session to end", Duration.ofSeconds(30), () -> !toolSession("true"));
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(2);
    assertThat(target.count("SELECT count(*) FROM small")).isZero();

    CliRun resume = CliRun.of(args("copy"));
    assertThat(resume.exitCode()).isZero();
    assertThat(hash(target, "small")).isEqualTo(hash(source, "small"));
  }

  @Test
  void killDashNineMidCopyLosesNothingAndDuplicatesNothing() throws Exception {
    stage("big");
    try (Launched copy = Launched.start(args("copy", "-p", "1"))) {
      Waits.await("COPY to stream", Duration.ofSeconds(60), () -> toolSession("query LIKE 'COPY %FROM STDIN%' AND state = 'active'"));
      Thread.sleep(300);
      copy.signal("KILL");
      assertThat(copy.exitCode(30)).isEqualTo(137);
    }
    Waits.await("the server to drop the killed session", Duration.ofSeconds(60), () -> !toolSession("true"));
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(1);
    assertThat(target.count("SELECT count(*) FROM big")).isZero();

    CliRun resume = CliRun.of(args("copy"));
    assertThat(resume.exitCode()).as(resume.stderr()).isZero();
    assertThat(hash(target, "big")).isEqualTo(hash(source, "big"));
  }

  @Test
  void aConnectionKilledMidCopyIsRetried() throws Exception {
    stage("big");
    try (Launched copy = Launched.start(args("copy", "-p", "1"))) {
      Waits.await("COPY to stream", Duration.ofSeconds(60), () -> toolSession("query LIKE 'COPY %FROM STDIN%' AND state = 'active'"));
      ToolSessions.terminate(target, "query LIKE 'COPY %FROM STDIN%'");

      assertThat(copy.exitCode(120)).as(copy.stderr()).isZero();
      assertThat(copy.stderr()).contains("failed (attempt 1 of 5), retrying in 1000 ms");
      assertThat(copy.stdout()).contains("[1/1] Copied chunk");
    }
    assertThat(target.count("SELECT attempts FROM __backfill.task")).isEqualTo(2);
    assertThat(target.string("SELECT last_error FROM __backfill.task")).isNull();
    assertThat(hash(target, "big")).isEqualTo(hash(source, "big"));
  }

  /** The target chunk of 2024-01-01, the oldest: copy and verify end with it. */
  private String smallChunkOldest() {
    return target.string("SELECT show_chunks('small', older_than => '2024-01-02'::timestamptz)::text");
  }

  /** Stages and copies the small hypertable's two chunks, then holds the oldest's lock. */
  private Connection copiedWithTheOldestChunkLocked() throws Exception {
    stage("small");
    CliRun copy = CliRun.of(args("copy"));
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    Connection blocker = target.connect();
    blocker.setAutoCommit(false);
    try (Statement lock = blocker.createStatement()) {
      lock.execute("LOCK TABLE " + smallChunkOldest() + " IN ACCESS EXCLUSIVE MODE");
    }
    return blocker;
  }

  private long verifiedTasks() {
    return target.count("SELECT count(*) FROM __backfill.task WHERE verified IS NOT NULL AND verify_ok");
  }

  @Test
  void verifyKilledInsideAChunkIsRunAgainAndVerifiesTheRest() throws Exception {
    try (Connection blocker = copiedWithTheOldestChunkLocked();
        Launched verify = Launched.start(args("verify", "-p", "1"))) {
      Waits.await("verify to wait for the oldest chunk", Duration.ofSeconds(60),
          () -> toolSession(ToolSessions.WAITING_FOR_A_LOCK));
      assertThat(verify.stdout()).containsPattern("\\[1/2\\] Verified chunk ");
      verify.signal("KILL");
      assertThat(verify.exitCode(30)).isEqualTo(137);
      blocker.commit();
    }
    Waits.await("the server to drop the killed session", Duration.ofSeconds(60), () -> !toolSession("true"));
    assertThat(verifiedTasks()).isEqualTo(1);

    CliRun again = CliRun.of(args("verify"));
    assertThat(again.exitCode()).as(again.stdout() + again.stderr()).isZero();
    assertThat(again.stdout()).contains("[1/1] Verified chunk ").contains("Verifed 1 chunks in ");
    assertThat(verifiedTasks()).isEqualTo(2);
  }

  @Test
  void verifyRetriesASessionEndedInsideAChunk() throws Exception {
    try (Connection blocker = copiedWithTheOldestChunkLocked();
        Launched verify = Launched.start(args("verify", "-p", "1"))) {
      Waits.await("verify to wait for the oldest chunk", Duration.ofSeconds(60),
          () -> toolSession(ToolSessions.WAITING_FOR_A_LOCK));
      ToolSessions.terminate(target, ToolSessions.WAITING_FOR_A_LOCK);
      Waits.await("the retry", Duration.ofSeconds(30),
          () -> verify.stderr().contains("failed (attempt 1 of 5), retrying in 1000 ms"));
      blocker.commit();

      assertThat(verify.exitCode(60)).as(verify.stderr()).isZero();
      assertThat(verify.stdout()).contains("[2/2] Verified chunk ").contains("Verifed 2 chunks in ");
    }
    assertThat(verifiedTasks()).isEqualTo(2);
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE last_error IS NOT NULL")).isZero();
  }

  @Test
  void aChunkThatCannotBeCopiedStopsTheRunWithExitCode1() {
    stage("small");
    String newest = smallChunkNewest();
    String oldest = smallChunkOldest();
    // The older chunk disappears from the target after stage: nothing can be copied into it.
    target.execute("DROP TABLE " + oldest);

    CliRun copy = CliRun.of(args("copy", "-p", "1"));

    assertThat(copy.exitCode()).isEqualTo(1);
    assertThat(copy.stdout()).contains("[1/2] Copied chunk").contains(" from 1 chunks in ");
    assertThat(copy.stderr())
        .startsWith("Error: failed to copy chunk \"_timescaledb_internal\".\"")
        .contains("\": target chunk for \"_timescaledb_internal\".\"")
        .contains(" not found - staging failed or chunk was deleted. Chunks already copied stay so;"
            + " run the command again to resume.");
    assertThat(target.count("SELECT count(*) FROM " + newest)).isEqualTo(240);
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(1);
    CliRun status = CliRun.of("status", "--target", target.url());
    assertThat(status.stdout()).contains("Last error in public.small: target chunk for ");
  }
}
