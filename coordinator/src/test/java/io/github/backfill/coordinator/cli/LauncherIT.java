package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.TestServers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the real launcher, {@code ./timescaledb-backfill}, as a user would. */
class LauncherIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static Processes.Result launch(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString());
    command.addAll(List.of(args));
    return Processes.run(command, null, null);
  }

  @Test
  void printsItsVersionAndHelp() {
    Processes.Result version = launch("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).isEqualTo("timescaledb-backfill " + Version.version() + "\n");

    Processes.Result help = launch("clean", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("--target=CONNSTR", "--disable-telemetry");
  }

  @Test
  void cleansATargetAndExitsWithTheContractsCodes() {
    dbs.target().execute("CREATE SCHEMA __backfill");

    Processes.Result clean = launch("clean", "--target", dbs.target().url());
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.stdout()).contains("Removed backfill administrative schema from target database");
    assertThat(dbs.target().count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'"))
        .isZero();

    Processes.Result usage = launch("clean", "--target");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.stderr()).startsWith("Error: Missing required parameter for option '--target'");
  }
}
