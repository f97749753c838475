package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker node on a host of its own, played by a network namespace joined to this one by a veth
 * pair, with the local servers also listening on the host end. Its link is cut mid-copy: nothing is
 * lost or duplicated, the servers release its locks within about 30 s (the tool's TCP keepalives),
 * the other worker takes its chunks, and when the link returns the node rejoins and serves the next
 * run. Needs root and the local servers; skipped, visibly, elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkPartitionIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final String NAMESPACE = "bf-netns-test";
  private static final String HOST_END = "bfnh0";
  private static final String NODE_END = "bfnw0";
  private static final String HOST_ADDRESS = "10.231.9.1";
  private static final String NODE_ADDRESS = "10.231.9.2";
  private static final String SUBNET = "10.231.9.0/30";

  private TestDatabase source;
  private TestDatabase target;
  private boolean networkMade;

  private static Processes.Result sh(String... command) {
    return Processes.run(List.of(command), null, null);
  }

  @BeforeAll
  void network() {
    boolean root = "0".equals(sh("id", "-u").stdout().strip());
    boolean local = TestServers.get().kind() == TestServers.Kind.LOCAL;
    boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
    if (!root || !local || !ip) {
      String reason = "SKIPPED: the network-partition test needs root, the ip command and the local servers"
          + " (root=" + root + ", local servers=" + local + ", ip=" + ip + ")";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    cleanupNetwork();
    sh("ip", "netns", "add", NAMESPACE).requireSuccess();
    networkMade = true;
    sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", NODE_END).requireSuccess();
    sh("ip", "link", "set", NODE_END, "netns", NAMESPACE).requireSuccess();
    sh("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", HOST_END).requireSuccess();
    sh("ip", "link", "set", HOST_END, "up").requireSuccess();
    sh("ip", "netns", "exec", NAMESPACE, "ip", "addr", "add", NODE_ADDRESS + "/30", "dev", NODE_END).requireSuccess();
    sh("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", NODE_END, "up").requireSuccess();
    sh("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", "lo", "up").requireSuccess();
    restartServers(Map.of("BACKFILL_LISTEN_EXTRA", HOST_ADDRESS, "BACKFILL_HBA_EXTRA", SUBNET));

    source = dbs.source();
    target = dbs.target();
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO m SELECT '2024-01-01'::timestamptz + g * interval '1728 milliseconds', g % 17, g"
            + " FROM generate_series(0, 999999) g");
    Skeleton.copy(source, target);
  }

  @AfterAll
  void restore() {
    if (networkMade) {
      cleanupNetwork();
      restartServers(Map.of());
    }
  }

  private static void cleanupNetwork() {
    sh("ip", "netns", "del", NAMESPACE);
    sh("ip", "link", "del", HOST_END);
  }

  private static void restartServers(Map<String, String> env) {
    Path script = TestServers.repositoryRoot().resolve("scripts/timescaledb");
    Processes.run(List.of(script.toString(), "down"), null, null).requireSuccess();
    Processes.run(List.of(script.toString(), "up"), env, null).requireSuccess();
  }



  private static List<String> cluster(String name, String host, int port, String members) {
    return List.of("--cluster-name", name, "--cluster-host", host, "--cluster-port", Integer.toString(port),
        "--bus-port", Integer.toString(Waits.freePort()), "--members", members);
  }

  @Test
  void aWorkerCutOffMidCopyLosesNothingAndRejoins() throws Exception {
    String name = "bf-test-netns-" + System.nanoTime();
    int remotePort = Waits.freePort();
    int localPort = Waits.freePort();
    int coordinatorPort = Waits.freePort();
    String members = HOST_ADDRESS + ":" + localPort + "," + HOST_ADDRESS + ":" + coordinatorPort + ","
        + NODE_ADDRESS + ":" + remotePort;
    String app = "&application_name=bf-netns";
    List<String> remote = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE,
        TestServers.repositoryRoot().resolve("timescaledb-backfill").toString(), "worker",
        "--source", source.url().replace("127.0.0.1", HOST_ADDRESS) + app,
        "--target", target.url().replace("127.0.0.1", HOST_ADDRESS) + app, "-p", "2"));
    remote.addAll(cluster(name, NODE_ADDRESS, remotePort, members));
    List<String> local = new ArrayList<>(List.of(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString(),
        "worker", "--source", source.url(), "--target", target.url(), "-p", "2"));
    local.addAll(cluster(name, HOST_ADDRESS, localPort, members));
    assertThat(CliRun.between(source, target, "stage", "--until", "2025-01-01").exitCode()).isZero();

    try (Launched cutOff = Launched.command(remote); Launched survivor = Launched.command(local)) {
      Waits.await("the workers to join", Duration.ofSeconds(90),
          () -> cutOff.stdout().contains("waiting for runs") && survivor.stdout().contains("waiting for runs"));
      List<String> copy = new ArrayList<>(List.of(CliRun.args(source, target, "copy", "--local-workers", "0")));
      copy.addAll(cluster(name, HOST_ADDRESS, coordinatorPort, members));
      try (Launched coordinator = Launched.start(copy.toArray(String[]::new))) {
        Waits.await("the cut-off node to stream", Duration.ofSeconds(90), () -> target.count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-netns%'"
                + " AND query LIKE 'COPY %FROM STDIN%' AND state = 'active'") > 0);
        long cut = System.nanoTime();
        sh("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", NODE_END, "down").requireSuccess();
        Waits.await("the coordinator to name the lost node", Duration.ofSeconds(30),
            () -> coordinator.stderr().contains("Lost worker node " + NODE_ADDRESS + ":" + remotePort));
        long named = (System.nanoTime() - cut) / 1_000_000;
        Waits.await("the servers to drop the cut-off node's sessions", Duration.ofSeconds(90), () -> target.count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bf-netns%'") == 0);
        long released = (System.nanoTime() - cut) / 1_000_000;
        System.err.println("NETNS link cut: lost node named after " + named + " ms; its locks released after "
            + released + " ms");
        assertThat(coordinator.exitCode(240)).as(coordinator.stdout() + coordinator.stderr()).isZero();
      }
      Rows.assertSame(source, target, "SELECT * FROM m");
      assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();

      // The link returns: the node merges back into the cluster and serves the next run.
      sh("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", NODE_END, "up").requireSuccess();
      Thread.sleep(20_000);
      List<String> verify = new ArrayList<>(List.of(CliRun.args(source, target, "verify", "--local-workers", "0")));
      verify.addAll(cluster(name, HOST_ADDRESS, Waits.freePort(), members));
      try (Launched second = Launched.start(verify.toArray(String[]::new))) {
        assertThat(second.exitCode(240)).as(second.stdout() + second.stderr()).isZero();
      }
      Waits.await("the node to serve the next run", Duration.ofSeconds(30), () -> cutOff.stdout().contains("Serving verify run"));
    }
  }
}
