package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Flavor;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestServers;
import io.github.backfill.common.testing.TestUrls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hot-standby replica of the local source server (pg_basebackup, streaming) as --source: stage,
 * copy and verify read it in REPEATABLE READ READ ONLY transactions, which a standby allows (the
 * original's SERIALIZABLE DEFERRABLE it refuses). Needs root and the local servers; skipped, visibly,
 * elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotStandbyIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  /** The replica's data directory, inside the servers' chroot. */
  private static final String DATA = "/srv/backfill/replica-test";

  private final Path script = TestServers.repositoryRoot().resolve("scripts/timescaledb");
  private int port;
  private boolean started;

  private Processes.Result pgBin(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(script.toString(), "pg_bin"));
    command.addAll(List.of(args));
    return Processes.run(command, Map.of("PGPASSWORD", dbs.source().settings().password().orElse("")), null);
  }

  @BeforeAll
  void replica() {
    boolean root = "0".equals(Processes.run(List.of("id", "-u"), null, null).stdout().strip());
    if (!root || TestServers.get().kind() != TestServers.Kind.LOCAL) {
      String reason = "SKIPPED: the hot-standby test needs root and the local servers";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    Datasets.metrics(dbs.source());
    Skeleton.copy(dbs.source(), dbs.target());
    ConnectionSettings source = dbs.source().settings();
    port = Waits.freePort();
    removeData();
    pgBin("pg_basebackup", "-h", source.host(), "-p", Integer.toString(source.port()), "-U", source.user(),
        "-D", DATA, "-R", "-X", "stream", "--checkpoint=fast").requireSuccess();
    pgBin("pg_ctl", "start", "-D", DATA, "-l", DATA + "/server.log", "-w",
        "-o", "-p " + port + " -c listen_addresses=127.0.0.1").requireSuccess();
    started = true;
  }

  @AfterAll
  void stop() {
    if (started) {
      pgBin("pg_ctl", "stop", "-D", DATA, "-m", "fast");
    }
    removeData();
  }

  private void removeData() {
    Processes.run(List.of("rm", "-rf", Flavor.current().chroot() + DATA), null, null);
  }

  @Test
  void aHotStandbyServesAsTheSource() {
    ConnectionSettings s = dbs.source().settings();
    String replica = TestUrls.url(s.user(), s.password().orElse(null), s.host(), port, s.database());
    String target = dbs.target().url();

    CliRun stage = CliRun.of("stage", "--source", replica, "--target", target, "--until", "2023-06-01");
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    assertThat(stage.stdout()).contains("Staged 5 chunks to copy.");
    CliRun copy = CliRun.of("copy", "--source", replica, "--target", target);
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    CliRun verify = CliRun.of("verify", "--source", replica, "--target", target, "--deep");
    assertThat(verify.exitCode()).as(verify.stdout()).isZero();

    Rows.assertSame(dbs.source(), dbs.target(), "SELECT * FROM metrics");
  }
}
