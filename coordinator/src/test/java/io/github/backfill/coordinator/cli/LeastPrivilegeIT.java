package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestUrls;
import org.junit.jupiter.api.Test;

/**
 * The whole workflow with the privileges a managed service gives: a target role that owns the
 * database and its tables but is no superuser (like Tiger Cloud's tsdbadmin, minus what the platform
 * grants it), and a source role that can only read. Where TSL is available, the source's chunks are
 * compressed, so that stage must create compressed chunks without writing TimescaleDB's catalog.
 */
class LeastPrivilegeIT extends FreshDatabasesTest {
  private static final String OWNER = "bf_test_owner";
  private static final String READER = "bf_test_reader";
  private static final String PASSWORD = "least-privilege";

  private static String urlAs(TestDatabase db, String role) {
    ConnectionSettings s = db.settings();
    return TestUrls.url(role, PASSWORD, s.host(), s.port(), s.database());
  }

  @Test
  void aNonSuperuserOwnerAndAReadOnlySourceRoleBackfillEverything() {
    boolean tsl = "timescale".equals(source.license()) && "timescale".equals(target.license());
    Datasets.metrics(source);
    if (tsl) {
      source.execute(
          "ALTER TABLE metrics SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id')");
    }
    Skeleton.copy(source, target);
    // Chunks made after the skeleton, compressed where possible: stage must create them all.
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-15");
    if (tsl) {
      source.execute("SELECT compress_chunk(c) FROM show_chunks('metrics') c");
    }
    source.loginRole(READER, PASSWORD, false);
    source.execute(
        "GRANT USAGE ON SCHEMA public, _timescaledb_internal TO " + READER,
        "GRANT SELECT ON ALL TABLES IN SCHEMA public, _timescaledb_internal TO " + READER);
    target.loginRole(OWNER, PASSWORD, false);
    target.execute(
        "ALTER DATABASE \"" + target.name() + "\" OWNER TO " + OWNER,
        "ALTER SCHEMA public OWNER TO " + OWNER,
        "ALTER TABLE metrics OWNER TO " + OWNER);
    assertThat(target.string("SELECT rolsuper::text FROM pg_roles WHERE rolname = '" + OWNER + "'")).isEqualTo("false");
    String sourceUrl = urlAs(source, READER);
    String targetUrl = urlAs(target, OWNER);

    CliRun stage = CliRun.of("stage", "--source", sourceUrl, "--target", targetUrl, "--until", "2023-07-01");
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    assertThat(stage.stdout()).contains("Created 3 chunks on the target that it lacked.");
    CliRun copy = CliRun.of("copy", "--source", sourceUrl, "--target", targetUrl);
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    CliRun verify = CliRun.of("verify", "--source", sourceUrl, "--target", targetUrl, "--deep");
    assertThat(verify.exitCode()).as(verify.stdout()).isZero();
    assertThat(CliRun.of("status", "--target", targetUrl).exitCode()).isZero();

    Rows.assertSame(source, target, "SELECT * FROM metrics");
    if (tsl) {
      assertThat(target.count("SELECT count(*) FROM timescaledb_information.chunks WHERE is_compressed"))
          .isEqualTo(source.count("SELECT count(*) FROM timescaledb_information.chunks WHERE is_compressed"));
    }
    assertThat(CliRun.of("clean", "--target", targetUrl).exitCode()).isZero();
  }
}
