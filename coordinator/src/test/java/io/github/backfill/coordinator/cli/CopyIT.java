package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code copy} and {@code verify} on one host against real TimescaleDB: the original's scenarios that
 * need no TSL (SPEC 9.2), with this tool's exit codes, and the cases the original got wrong.
 */
class CopyIT extends FreshDatabasesTest {
  /** stage, copy with one worker, verify; each must succeed. */
  private void backfill(String... stageFlags) {
    CliRun stage = run("stage", stageFlags);
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    CliRun copy = run("copy", "--parallelism", "1");
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    CliRun verify = run("verify");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    assertThat(verify.stdout()).doesNotContain("Chunk verification failed");
  }

  private long chunks(TestDatabase db, String hypertable) {
    return db.count("SELECT count(*) FROM show_chunks('" + hypertable + "')");
  }

  @Test
  void copiesEveryChunkAndVerifiesIt() {
    // SPEC 9.2 item 1.
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    CliRun stage = run("stage", "--until", "2023-06-01");
    CliRun copy = run("copy", "--parallelism", "1");

    assertThat(stage.exitCode()).isZero();
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    assertThat(copy.stdout())
        .startsWith(Version.banner() + "\nCopying 5 chunks with 1 workers\n[1/5] Copied chunk \"_timescaledb_internal\".\"")
        .containsPattern("\\[5/5\\] Copied chunk \"_timescaledb_internal\"\\.\"_hyper_1_\\d+_chunk\" in \\d")
        .containsPattern("\nCopied \\d+\\.\\dkB from 5 chunks in [0-9.]+m?s\\.\n")
        .endsWith("Execute the 'verify' command to assert data integrity.\n");
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
    assertThat(chunks(target, "metrics")).isEqualTo(5);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();
    assertThat(target.count("SELECT sum(copied_rows) FROM __backfill.task")).isEqualTo(744);

    CliRun verify = run("verify");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.stdout())
        .contains("Verifying 5 chunks with 8 workers")
        .containsPattern("\\[5/5\\] Verified chunk \"_timescaledb_internal\"\\.\"_hyper_1_\\d+_chunk\" in ")
        .contains("Verifed 5 chunks in ")
        .endsWith("Execute the 'clean' command to remove the backfill administrative schema from the target database.\n");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE verify_ok")).isEqualTo(5);

    CliRun again = run("copy");
    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout()).contains("Copying 0 chunks with 8 workers", "Copied 0B from 0 chunks in ");
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
  }

  @Test
  void analyzesTheTargetChunksOnlyWithAnalyze() throws InterruptedException {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    // last_analyze is set by ANALYZE only; autovacuum sets last_autoanalyze.
    String chunkStats = "SELECT count(*) FROM pg_stat_user_tables s JOIN show_chunks('metrics') c ON s.relid = c";
    String written = chunkStats + " WHERE s.n_tup_ins > 0";
    String analyzed = chunkStats + " WHERE s.last_analyze IS NOT NULL";

    assertThat(run("stage", "--until", "2023-06-01").exitCode()).isZero();
    assertThat(run("copy").exitCode()).isZero();
    // The copy's statistics are in once its inserts show.
    Waits.await("the copy's statistics", Duration.ofSeconds(30), () -> target.count(written) == 5);
    assertThat(target.count(analyzed)).isZero();

    assertThat(CliRun.of("clean", "--target", target.url()).exitCode()).isZero();
    assertThat(run("stage", "--until", "2023-06-01").exitCode()).isZero();
    CliRun copy = run("copy", "--analyze");
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    Waits.await("ANALYZE of the 5 target chunks", Duration.ofSeconds(30), () -> target.count(analyzed) == 5);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
  }

  @Test
  void aDroppedAndReAddedColumnCopiesByName() {
    // SPEC 9.2 item 2: an attnum gap on the source.
    Datasets.metrics(source);
    source.execute("ALTER TABLE metrics DROP COLUMN val", "ALTER TABLE metrics ADD COLUMN val float8",
        "UPDATE metrics SET val = extract(day from time)");
    Skeleton.copy(source, target);

    backfill("--until", "2023-06-01");

    Rows.assertSame(source, target, "SELECT time, device_id, val FROM metrics");
  }

  @Test
  void fromAndUntilLeaveTheTargetsOtherRowsAlone() {
    // SPEC 9.2 item 3: June copied; the target's own May rows survive.
    Datasets.metrics(source);
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-30 23:00");
    Skeleton.copy(source, target);
    Datasets.hourly(target, "metrics", "2023-05-01", "2023-05-31 23:00");

    backfill("--from", "2023-06-01", "--until", "2023-06-30T23:30:01Z");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(1464);
    assertThat(chunks(target, "metrics")).isEqualTo(10);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
  }

  @Test
  void boundsOnOneChunksEdgesCopyExactlyIt() {
    // SPEC 9.2 item 4.
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    backfill("--from", "2023-05-04", "--until", "2023-05-11");

    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(1);
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(168);
  }

  @Test
  void filtersPickTablesAndSchemas() {
    // SPEC 9.2 items 5 and 6.
    Datasets.metrics(source);
    source.execute("CREATE SCHEMA other", "CREATE TABLE other.metrics (LIKE public.metrics)",
        "SELECT create_hypertable('other.metrics', 'time')");
    Datasets.hourly(source, "other.metrics", "2023-05-01", "2023-05-31 23:00");
    Skeleton.copy(source, target);

    backfill("--until", "2023-06-01", "--filter", "public.metrics");
    assertThat(target.count("SELECT count(*) FROM public.metrics")).isEqualTo(744);
    assertThat(target.count("SELECT count(*) FROM other.metrics")).isZero();

    target.execute("DROP SCHEMA __backfill CASCADE");
    backfill("--until", "2023-06-01", "--filter", "other.*");
    assertThat(target.count("SELECT count(*) FROM other.metrics")).isEqualTo(744);
  }

  @Test
  void theEdgeChunkKeepsDualWrittenRowsAfterUntil() {
    // SPEC 9.2 item 8: dual-writes from 05-20 to 06-10 in the target, until 05-26.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    Datasets.hourly(target, "metrics", "2023-05-20", "2023-06-10 23:00");

    backfill("--until", "2023-05-26");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(984);
    assertThat(chunks(target, "metrics")).isEqualTo(7);
    Rows.assertSame(source, target, "SELECT * FROM metrics WHERE time < '2023-05-26'");
    assertThat(target.count("SELECT count(*) FROM metrics WHERE time >= '2023-05-26'")).isEqualTo(384);
  }

  @Test
  void chunksMadeAfterTheDumpAreCreatedAndCopied() {
    // SPEC 9.2 item 10.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-30 23:00");

    backfill("--until", "2023-07-01");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(1464);
    assertThat(chunks(target, "metrics")).isEqualTo(10);
  }

  @Test
  void integerTimeAndSpacePartitions() {
    // SPEC 9.2 items 12 and 13 (without compression).
    source.execute(
        "CREATE TABLE readings (time bigint NOT NULL, device_id int NOT NULL, v float8)",
        "SELECT create_hypertable('readings', 'time', chunk_time_interval => 86400000)",
        "SELECT add_dimension('readings', 'device_id', number_partitions => 15)",
        "INSERT INTO readings SELECT t, d, t / 1000 + d FROM generate_series(0, 604799999, 720000) t,"
            + " generate_series(1, 60) d");
    Skeleton.copy(source, target);

    backfill("--until", "604800000");

    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(105);
    assertThat(target.count("SELECT count(*) FROM readings")).isEqualTo(50400);
    assertThat(chunks(target, "readings")).isEqualTo(105);
    Rows.assertSame(source, target, "SELECT * FROM readings");
  }

  @Test
  void copyOrVerifyBeforeStageSaysWhatToDo() {
    // SPEC 9.2 items 32 and 33.
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    CliRun copy = run("copy");
    assertThat(copy.exitCode()).isEqualTo(2);
    assertThat(copy.stderr())
        .isEqualTo("Error: administrative schema `__backfill` not found. Run the `stage` command once"
            + " before running `copy`.\n");
    CliRun verify = run("verify");
    assertThat(verify.stderr()).endsWith("before running `verify`.\n");

    // As the original: staging nothing still creates the schema, so copy says nothing is pending.
    assertThat(run("stage", "--until", "20160201").stdout()).contains("Staged 0 chunks to copy.");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isZero();
    assertThat(target.count("SELECT count(*) FROM __backfill.session")).isEqualTo(1);
    CliRun none = run("copy");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr())
        .isEqualTo("Error: there are no pending copy tasks. Use the `stage` command to add more.\n");
    assertThat(target.count("SELECT count(*) FROM metrics")).isZero();
  }

  @Test
  void anOlderTargetTimescaleDbStopsStageAndCopy() {
    // SPEC 9.2 item 37, where the original refuses any other version; this tool refuses an older
    // target only (a newer one is CrossVersionIT's). Only one TimescaleDB version is installed here:
    // the target's database fakes an older one by rewriting pg_extension.extversion, with
    // TimescaleDB's loader turned off there.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    assertThat(run("stage", "--until", "2023-06-01").exitCode()).isZero();
    target.execute(
        "ALTER DATABASE \"" + target.name() + "\" SET timescaledb.disable_load = on",
        "UPDATE pg_extension SET extversion = '2.17.0' WHERE extname = 'timescaledb'");

    for (CliRun refused : List.of(run("stage", "--until", "2023-06-01"), run("copy"))) {
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.stderr())
          .startsWith("Error: timescaledb extension version is different in source and target: source=")
          .contains(", target=2.17.0. This tool copies from an older TimescaleDB release to a newer one, not back");
    }
    target.execute("UPDATE pg_extension SET extversion = (SELECT default_version FROM pg_available_extensions"
        + " WHERE name = 'timescaledb') WHERE extname = 'timescaledb'");
  }

  @Test
  void aSourceChunkDroppedAfterStageIsSkippedAndReported() {
    // SPEC 9.2 items 38 and 41.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    assertThat(run("stage", "--until", "2023-06-01").exitCode()).isZero();
    String oldest = source.string("SELECT show_chunks('metrics', older_than => '2023-05-04'::timestamptz)::text");
    source.execute("SELECT drop_chunks('metrics', older_than => '2023-05-04'::timestamptz)");

    CliRun copy = run("copy", "-p", "1");

    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    assertThat(copy.stdout())
        .contains("Skipping chunk " + oldest.replace("_timescaledb_internal.", "\"_timescaledb_internal\".\"")
            + "\" because it no longer exists on source")
        .contains("Copied ")
        .contains(" from 4 chunks in ");
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744 - 72);

    CliRun verify = run("verify");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.stdout()).contains("source chunk \"_timescaledb_internal\".\"" + oldest.substring(22)
        + "\" no longer exists");
  }

  @Test
  void verifyReportsAMissingTargetChunkWithExitCode3() {
    // SPEC 9.2 item 42, with this tool's exit code.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    backfill("--until", "2023-05-04");
    target.execute("UPDATE __backfill.task SET verified = NULL", "SELECT drop_chunks('metrics', older_than => '2023-05-04'::timestamptz)");

    CliRun verify = run("verify");

    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(verify.stdout())
        .containsPattern("\\[1/1\\] target chunk does not exist: target chunk for \"_timescaledb_internal\"\\.\"_hyper_1_\\d+_chunk\""
            + " not found - staging failed or chunk was deleted")
        .contains("1 chunks differ between source and target.");
  }
}
