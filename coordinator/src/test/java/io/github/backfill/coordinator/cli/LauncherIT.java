package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real launcher, {@code ./timescaledb-backfill}, as a user would. */
class LauncherIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static Processes.Result launch(String... args) {
    return launch(null, args);
  }

  private static Processes.Result launch(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString());
    command.addAll(List.of(args));
    return Processes.run(command, env, null);
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

  /**
   * The class-data-sharing archive that the launcher keeps beside the jar (deploy/cds-archive.sh)
   * serves a command's lambdas too, which the JVM otherwise spins one by one at each start, and the
   * JDK's PBKDF2, which every SCRAM login runs.
   */
  @Test
  void mapsTheLambdasAndTheLoginsHashFromItsArchive(@TempDir Path dir) throws Exception {
    dbs.target().execute("CREATE SCHEMA __backfill");
    Path classes = dir.resolve("classes.log");

    Processes.Result clean =
        launch(Map.of("BACKFILL_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "clean", "--target", dbs.target().url());

    assertThat(clean.exitCode()).as(clean.stderr()).isZero();
    assertThat(clean.stderr()).isEmpty();
    List<String> loaded = Files.readAllLines(classes);
    List<String> lambdas = loaded.stream().filter(line -> line.contains("$$Lambda$")).toList();
    long archived = lambdas.stream().filter(line -> line.endsWith("source: shared objects file")).count();
    assertThat(archived).as("lambdas from the archive, of %d", lambdas.size()).isGreaterThan(lambdas.size() / 2);
    assertThat(loaded).anyMatch(line -> line.contains(" com.sun.crypto.provider.PBKDF2Core source: shared objects file"));
  }
}
