package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers on several hosts, played by separate JVMs started from the launcher on loopback: a
 * coordinator that only coordinates and two worker nodes in one cluster. Every case ends with
 * exactly the source's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final Pattern NODE_LINE = Pattern.compile("  node (\\S+): (\\d+) chunks");

  private TestDatabase source;
  private TestDatabase target;

  @BeforeAll
  void data() {
    source = dbs.source();
    target = dbs.target();
    // 40 chunks of 25,000 rows: enough that each copy lasts a moment and both workers get some.
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO m SELECT '2024-01-01'::timestamptz + g * interval '3456 milliseconds', g % 17, g"
            + " FROM generate_series(0, 999999) g");
    Skeleton.copy(source, target);
  }

  @BeforeEach
  void emptyTarget() {
    target.execute("DROP SCHEMA IF EXISTS __backfill CASCADE", "DELETE FROM m");
    assertThat(CliRun.between(source, target, "stage", "--until", "2025-01-01").exitCode()).isZero();
  }


  /** A node's flags: its own ports, the cluster's name, and the members to join. */
  private static List<String> node(String cluster, int port, List<Integer> members) {
    List<String> flags = new ArrayList<>(List.of("--cluster-name", cluster, "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(port), "--bus-port", Integer.toString(Waits.freePort())));
    if (!members.isEmpty()) {
      flags.add("--members");
      flags.add(String.join(",", members.stream().map(p -> "127.0.0.1:" + p).toList()));
    }
    return flags;
  }

  private Launched worker(String cluster, int port, List<Integer> members, int parallelism) {
    return worker(cluster, port, members, parallelism, "timescaledb-backfill");
  }

  private Launched worker(String cluster, int port, List<Integer> members, int parallelism, String applicationName,
      String... extra) {
    String name = "&application_name=" + applicationName;
    List<String> args = new ArrayList<>(List.of("worker", "--source", source.url() + name,
        "--target", target.url() + name, "-p", Integer.toString(parallelism)));
    args.addAll(node(cluster, port, members));
    args.addAll(List.of(extra));
    return Launched.start(args.toArray(String[]::new));
  }


  private Launched coordinator(String cluster, int port, List<Integer> members) {
    List<String> args = new ArrayList<>(List.of(CliRun.args(source, target, "copy", "--local-workers", "0")));
    args.addAll(node(cluster, port, members));
    return Launched.start(args.toArray(String[]::new));
  }


  private static List<Integer> chunksPerNode(String output) {
    List<Integer> counts = new ArrayList<>();
    Matcher matcher = NODE_LINE.matcher(output);
    while (matcher.find()) {
      counts.add(Integer.parseInt(matcher.group(2)));
    }
    return counts;
  }

  @Test
  void twoWorkerNodesShareTheRunOfACoordinatorThatOnlyCoordinates() throws Exception {
    String cluster = "bf-test-" + System.nanoTime();
    int a = Waits.freePort();
    int b = Waits.freePort();
    int c = Waits.freePort();
    int metrics = Waits.freePort();
    try (Launched first = worker(cluster, a, List.of(b, c), 2, "timescaledb-backfill",
            "--metrics-port", Integer.toString(metrics));
        Launched second = worker(cluster, b, List.of(a, c), 2)) {
      Waits.await("the workers to join", Duration.ofSeconds(60),
          () -> first.stdout().contains("waiting for runs") && second.stdout().contains("waiting for runs"));
      try (Launched copy = coordinator(cluster, c, List.of(a, b))) {
        assertThat(copy.exitCode(180)).as(copy.stdout() + copy.stderr()).isZero();
        assertThat(copy.stdout()).contains("Copying 40 chunks with 0 workers", "[40/40] Copied chunk",
            "Chunks by worker node:");
        List<Integer> perNode = chunksPerNode(copy.stdout());
        assertThat(perNode).hasSize(2).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(perNode.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
      }
      // A worker hears of the run's end a moment after the coordinator exits.
      Waits.await("the first worker to see the run end", Duration.ofSeconds(30),
          () -> first.stdout().contains("is over for this node"));
      assertThat(first.stdout()).contains("Serving copy run ");
      assertThat(second.stdout()).contains("Serving copy run ");
      String scraped = new String(
          java.net.URI.create("http://127.0.0.1:" + metrics + "/metrics").toURL().openStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(scraped)
          .containsPattern("backfill_tasks_total\\{kind=\"copy\",outcome=\"COPIED\"} [1-9]")
          .containsPattern("backfill_rows_total\\{kind=\"copy\"} [1-9]")
          .contains("backfill_bytes_total", "backfill_task_duration_seconds_count", "backfill_workers_busy 0.0",
              "jvm_memory_used_bytes", "vertx_");
    }
    Rows.assertSame(source, target, "SELECT * FROM m");
    assertThat(target.count("SELECT max(attempts) FROM __backfill.task")).isEqualTo(1);
  }

  @Test
  void aWorkerKilledMidCopyLosesNothingAndDuplicatesNothing() throws Exception {
    for (int trial = 1; trial <= 3; trial++) {
      if (trial > 1) {
        emptyTarget();
      }
      String cluster = "bf-test-kill-" + trial + "-" + System.nanoTime();
      int a = Waits.freePort();
      int b = Waits.freePort();
      int c = Waits.freePort();
      try (Launched victim = worker(cluster, a, List.of(b, c), 2, "bf-victim");
          Launched survivor = worker(cluster, b, List.of(a, c), 2)) {
        Waits.await("the workers to join", Duration.ofSeconds(60),
            () -> victim.stdout().contains("waiting for runs") && survivor.stdout().contains("waiting for runs"));
        try (Launched copy = coordinator(cluster, c, List.of(a, b))) {
          Waits.await("the victim to stream a chunk", Duration.ofSeconds(60), () -> target.count(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-victim%'"
                  + " AND query LIKE 'COPY %FROM STDIN%' AND state = 'active'") > 0);
          long started = System.nanoTime();
          victim.signal("KILL");
          Waits.await("the coordinator to name the lost node", Duration.ofSeconds(30),
              () -> copy.stderr().contains("Lost worker node 127.0.0.1:" + a));
          long noticed = (System.nanoTime() - started) / 1_000_000;
          assertThat(copy.exitCode(240)).as(copy.stdout() + copy.stderr()).isZero();
          System.err.println("CLUSTER kill -9 trial " + trial + ": the coordinator named the lost node after "
              + noticed + " ms; " + copy.stderr().lines().filter(l -> l.startsWith("Lost worker node")).findFirst().orElse(""));
        }
      }
      Rows.assertSame(source, target, "SELECT * FROM m");
      assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();
    }
  }

  @Test
  void runsOfOtherClustersAreNeverServed() throws Exception {
    String mine = "bf-test-mine-" + System.nanoTime();
    String theirs = "bf-test-theirs-" + System.nanoTime();
    int a = Waits.freePort();
    int b = Waits.freePort();
    int c = Waits.freePort();
    // A worker of another cluster, told to join this one's ports: it must never serve this run.
    try (Launched stranger = worker(theirs, b, List.of(a, c), 2);
        Launched member = worker(mine, a, List.of(b, c), 2)) {
      Waits.await("the workers to start", Duration.ofSeconds(60),
          () -> stranger.stdout().contains("waiting for runs") && member.stdout().contains("waiting for runs"));
      try (Launched copy = coordinator(mine, c, List.of(a, b))) {
        assertThat(copy.exitCode(180)).as(copy.stdout() + copy.stderr()).isZero();
        assertThat(chunksPerNode(copy.stdout())).containsExactly(40);
      }
      assertThat(member.stdout()).contains("Serving copy run ");
      assertThat(stranger.stdout()).doesNotContain("Serving");
    }
    Rows.assertSame(source, target, "SELECT * FROM m");
  }

  @Test
  void aNewCoordinatorResumesTheRunOfOneThatDied() throws Exception {
    String cluster = "bf-test-resume-" + System.nanoTime();
    int a = Waits.freePort();
    int b = Waits.freePort();
    try (Launched first = worker(cluster, a, List.of(b), 2, "bf-resume");
        Launched second = worker(cluster, b, List.of(a), 2, "bf-resume")) {
      Waits.await("the workers to join", Duration.ofSeconds(60),
          () -> first.stdout().contains("waiting for runs") && second.stdout().contains("waiting for runs"));
      int c = Waits.freePort();
      try (Launched dying = coordinator(cluster, c, List.of(a, b))) {
        Waits.await("a chunk to stream", Duration.ofSeconds(60), () -> target.count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-resume%'"
                + " AND query LIKE 'COPY %FROM STDIN%' AND state = 'active'") > 0);
        dying.signal("KILL");
        assertThat(dying.exitCode(30)).isEqualTo(137);
      }
      // The workers finish what they hold and, 10 s after the last announcement, go idle.
      String silent = ": no word from its coordinator for 10 s; serving it again if it is announced again";
      Waits.await("the workers to go idle", Duration.ofSeconds(60),
          () -> first.stdout().contains(silent) && second.stdout().contains(silent));
      long copiedBefore = target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NOT NULL");
      assertThat(copiedBefore).isLessThan(40);
      try (Launched resuming = coordinator(cluster, Waits.freePort(), List.of(a, b))) {
        assertThat(resuming.exitCode(180)).as(resuming.stdout() + resuming.stderr()).isZero();
        assertThat(resuming.stdout()).contains("Copying " + (40 - copiedBefore) + " chunks");
      }
    }
    Rows.assertSame(source, target, "SELECT * FROM m");
  }

  @Test
  void aSecondSigintOnTheCoordinatorRollsBackEveryNode() throws Exception {
    String cluster = "bf-test-abort-" + System.nanoTime();
    int a = Waits.freePort();
    int b = Waits.freePort();
    try (Launched first = worker(cluster, a, List.of(b), 2, "bf-abort");
        Launched second = worker(cluster, b, List.of(a), 2, "bf-abort");
        java.sql.Connection blocker = target.connect();
        java.sql.Statement lock = blocker.createStatement()) {
      Waits.await("the workers to join", Duration.ofSeconds(60),
          () -> first.stdout().contains("waiting for runs") && second.stdout().contains("waiting for runs"));
      // Every chunk locked: the workers' copies all wait, in flight, until the test lets go.
      blocker.setAutoCommit(false);
      lock.execute("DO $$ DECLARE c regclass; BEGIN FOR c IN SELECT show_chunks('m') LOOP"
          + " EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', c); END LOOP; END $$");
      try (Launched copy = coordinator(cluster, Waits.freePort(), List.of(a, b))) {
        Waits.await("four copies in flight", Duration.ofSeconds(60), () -> target.count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-abort%' AND wait_event_type = 'Lock'") == 4);
        copy.signal("INT");
        Waits.await("the shutdown message", Duration.ofSeconds(10), () -> copy.stdout().contains("Shutting down"));
        copy.signal("INT");
        assertThat(copy.exitCode(30)).isEqualTo(130);
        assertThat(copy.stdout()).contains("Terminating immediately.");
      }
      Waits.await("the workers to roll back and go idle", Duration.ofSeconds(60),
          () -> first.stdout().contains("is over for this node") && second.stdout().contains("is over for this node"));
      blocker.commit();
    }
    Waits.await("the rolled-back sessions to end", Duration.ofSeconds(60), () -> target.count(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-abort%'") == 0);
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isEqualTo(40);
    assertThat(target.count("SELECT count(*) FROM m")).isZero();
    assertThat(CliRun.between(source, target, "copy").exitCode()).isZero();
    Rows.assertSame(source, target, "SELECT * FROM m");
  }
}
