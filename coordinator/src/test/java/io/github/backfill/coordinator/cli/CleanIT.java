package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.TestUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CleanIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final String SCHEMA_PRESENT =
      "SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'";

  @Test
  void dropsTheAdministrativeSchemaAndLeavesChunkDataAlone() {
    var target = dbs.target();
    target.execute(
        "DROP SCHEMA IF EXISTS __backfill CASCADE",
        "CREATE TABLE metrics (time timestamptz NOT NULL, val float8)",
        "SELECT create_hypertable('metrics', 'time')",
        "INSERT INTO metrics SELECT t, 1 FROM generate_series('2024-01-01'::timestamptz, '2024-01-20', '1 hour') t",
        "CREATE SCHEMA __backfill",
        "CREATE TABLE __backfill.task (priority bigint PRIMARY KEY, chunk_schema name, chunk_name name)",
        "INSERT INTO __backfill.task VALUES (1, '_timescaledb_internal', '_hyper_1_1_chunk')");

    CliRun run = CliRun.of("clean", "--target", target.url());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .isEqualTo(
            Version.banner() + "\nRemoved backfill administrative schema from target database\n");
    assertThat(run.stderr()).isEmpty();
    assertThat(target.count(SCHEMA_PRESENT)).isZero();
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(457);
  }

  @Test
  void saysSoWhenThereIsNothingToClean() {
    var target = dbs.target();
    target.execute("DROP SCHEMA IF EXISTS __backfill CASCADE");

    CliRun run = CliRun.of("clean", "--target", target.url());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .endsWith(
            "Nothing to clean: the target database has no backfill administrative schema"
                + " (__backfill).\n");
  }

  @Test
  void aWrongPasswordFailsWithExitCode1AndNeverPrintsIt() {
    var target = dbs.target();
    target.execute("CREATE SCHEMA IF NOT EXISTS __backfill");
    ConnectionSettings s = target.settings();
    String url = TestUrls.url(s.user(), "Dist1nctive-Wr0ng", s.host(), s.port(), s.database());

    CliRun run = CliRun.of("clean", "--target", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .startsWith(
            "Error: the target server "
                + s.address()
                + " refused the login of user \""
                + s.user()
                + "\": password authentication failed")
        .doesNotContain("Dist1nctive-Wr0ng");
    assertThat(run.stdout()).doesNotContain("Dist1nctive-Wr0ng");
    assertThat(target.count(SCHEMA_PRESENT)).isEqualTo(1);
  }

  @Test
  void aMissingDatabaseFailsWithExitCode1() {
    ConnectionSettings s = dbs.target().settings();
    String url = TestUrls.url(s.user(), s.password().orElse(null), s.host(), s.port(), "bf_test_nope");

    CliRun run = CliRun.of("clean", "--target", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .isEqualTo(
            "Error: database \"bf_test_nope\" does not exist on the target server "
                + s.address()
                + ". Check the database name in --target.\n");
  }

  @Test
  void anUnreachableServerFailsWithExitCode1() {
    CliRun run = CliRun.of("clean", "--target", "postgres://postgres:x@127.0.0.1:1/db");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .startsWith(
            "Error: cannot connect to the target server 127.0.0.1:1: connection refused. Check that"
                + " the server is running and that the host and port in --target are right.");
  }
}
