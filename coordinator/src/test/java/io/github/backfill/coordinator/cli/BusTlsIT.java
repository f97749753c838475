package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestCertificates;
import io.github.backfill.common.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event bus with TLS and client certificates, between real JVMs started from the launcher: a
 * coordinator that only coordinates, a worker whose certificate the cluster's authority signed, and
 * two nodes that join the same (unauthenticated) Hazelcast cluster but cannot talk on the bus: one
 * with a certificate from another authority, one without TLS. Only the first worker gets work; the
 * run completes with every chunk copied exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusTlsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final Pattern NODE_LINE = Pattern.compile("  node (\\S+): (\\d+) chunks");

  private TestDatabase source;
  private TestDatabase target;
  private TestCertificates.Issued authority;
  private TestCertificates.Issued coordinatorCert;
  private TestCertificates.Issued workerCert;
  private TestCertificates.Issued strangerCert;

  @BeforeAll
  void data() throws Exception {
    source = dbs.source();
    target = dbs.target();
    // 12 chunks of 8,640 rows.
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO m SELECT '2024-01-01'::timestamptz + g * interval '10 seconds', g % 17, g"
            + " FROM generate_series(0, 12 * 8640 - 1) g");
    Skeleton.copy(source, target);
    assertThat(CliRun.between(source, target, "stage", "--until", "2025-01-01").stdout())
        .contains("Staged 12 chunks to copy.");

    TestCertificates certs = new TestCertificates(Files.createTempDirectory("bf-bus-tls"));
    authority = certs.authority("cluster-ca");
    TestCertificates.Issued otherAuthority = certs.authority("other-ca");
    coordinatorCert = certs.issue("coordinator", "coordinator", "IP:127.0.0.1", authority);
    // Made as the README shows: no extensions at all.
    workerCert = certs.issueMinimal("worker", "worker-1", authority);
    strangerCert = certs.issue("stranger", "stranger", "IP:127.0.0.1", otherAuthority);
  }

  private static List<String> node(String cluster, int port, List<Integer> members) {
    List<String> flags = new ArrayList<>(List.of("--cluster-name", cluster, "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(port), "--bus-port", Integer.toString(Waits.freePort()),
        "--members", String.join(",", members.stream().map(p -> "127.0.0.1:" + p).toList())));
    return flags;
  }

  /** The TLS flags of a node holding {@code cert}; every node trusts the cluster's authority. */
  private List<String> tls(TestCertificates.Issued cert) {
    return List.of("--bus-tls-cert", cert.certificate().toString(), "--bus-tls-key", cert.key().toString(),
        "--bus-tls-ca", authority.certificate().toString());
  }

  private Launched worker(List<String> node, List<String> tls) {
    List<String> args = new ArrayList<>(List.of("worker", "--source", source.url(), "--target", target.url(),
        "-p", "2"));
    args.addAll(node);
    args.addAll(tls);
    return Launched.start(args.toArray(String[]::new));
  }

  @Test
  void onlyNodesWithACertificateOfTheClustersAuthorityGetWork() throws Exception {
    String cluster = "bf-test-tls-" + System.nanoTime();
    int c = Waits.freePort();
    int good = Waits.freePort();
    int stranger = Waits.freePort();
    int plain = Waits.freePort();
    try (Launched member = worker(node(cluster, good, List.of(c, stranger, plain)), tls(workerCert));
        Launched foreign = worker(node(cluster, stranger, List.of(c, good, plain)), tls(strangerCert));
        Launched clear = worker(node(cluster, plain, List.of(c, good, stranger)), List.of())) {
      Waits.await("the workers to join", Duration.ofSeconds(90),
          () -> member.stdout().contains("waiting for runs") && foreign.stdout().contains("waiting for runs")
              && clear.stdout().contains("waiting for runs"));
      List<String> args = new ArrayList<>(List.of(CliRun.args(source, target, "copy", "--local-workers", "0")));
      args.addAll(node(cluster, c, List.of(good, stranger, plain)));
      args.addAll(tls(coordinatorCert));
      try (Launched copy = Launched.start(args.toArray(String[]::new))) {
        assertThat(copy.exitCode(240)).as(copy.stdout() + copy.stderr()).isZero();
        assertThat(copy.stdout()).contains("Copying 12 chunks with 0 workers", "[12/12] Copied chunk");
        // The refused connections are logged, one line each: no stack traces on stderr.
        assertThat(copy.stderr()).doesNotContain("\tat ");
        Matcher nodes = NODE_LINE.matcher(copy.stdout());
        List<String> served = new ArrayList<>();
        while (nodes.find()) {
          served.add(nodes.group(1) + "=" + nodes.group(2));
        }
        // One node did all the work: the one with the right certificate.
        assertThat(served).hasSize(1).allSatisfy(s -> assertThat(s).endsWith("=12"));
      }
      assertThat(member.stdout()).contains("Serving copy run ");
      assertThat(foreign.stdout()).doesNotContain("Serving");
      assertThat(clear.stdout()).doesNotContain("Serving");
    }
    Rows.assertSame(source, target, "SELECT * FROM m");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();
    assertThat(target.count("SELECT max(attempts) FROM __backfill.task")).isEqualTo(1);
  }
}
