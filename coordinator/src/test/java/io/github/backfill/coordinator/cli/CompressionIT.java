package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.CatalogFeatures;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.Tsl;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed (columnstore) chunks and continuous aggregates: the original's scenarios that need TSL
 * (SPEC 9.2 items 7, 9, 11, 14-19, 53, 55; 54 is in OriginalScenariosIT) and its bugs, fixed. Skipped, with the reason printed,
 * where the servers lack TimescaleDB's TSL license.
 */
class CompressionIT extends FreshDatabasesTest {
  private static final String COMPRESS =
      "ALTER TABLE metrics SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id',"
          + " timescaledb.compress_orderby = 'time DESC')";

  @BeforeEach
  void requireTsl() {
    Tsl.assumeAvailable(source, target);
  }

  private void backfill(String... stageFlags) {
    CliRun stage = run("stage", stageFlags);
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    CliRun copy = run("copy", "-p", "2");
    assertThat(copy.exitCode()).as(copy.stdout() + copy.stderr()).isZero();
    CliRun verify = run("verify", "--deep");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
  }

  private static long compressedChunks(TestDatabase db) {
    return db.count(
        "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'metrics' AND is_compressed");
  }

  /** Compresses the source's chunks that hold rows before {@code before}. */
  private void compressSource(String before) {
    source.execute("SELECT compress_chunk(c, true) FROM show_chunks('metrics', older_than => '" + before + "'::timestamptz) c");
  }

  /** Each compressed target chunk holds exactly the source chunk's batches, byte for byte. */
  private void assertSameBatches() {
    String batches =
        "SELECT chunk_name, compressed_schema, compressed_name FROM (" + source.catalogQuery("compressed_chunks")
            + ") z WHERE hypertable_name = 'metrics'";
    for (List<Object> chunk : source.rows(batches)) {
      String sourceBatches = "SELECT t::text FROM ONLY \"" + chunk.get(1) + "\".\"" + chunk.get(2) + "\" t ORDER BY 1";
      List<List<Object>> onTarget = target.rows(batches).stream().filter(r -> r.get(0).equals(chunk.get(0))).toList();
      assertThat(onTarget).as("target compressed chunk of " + chunk.get(0)).hasSize(1);
      String targetBatches = "SELECT t::text FROM ONLY \"" + onTarget.get(0).get(1) + "\".\"" + onTarget.get(0).get(2) + "\" t ORDER BY 1";
      assertThat(target.rows(targetBatches)).as("batches of " + chunk.get(0)).isEqualTo(source.rows(sourceBatches));
    }
  }

  @Test
  void aCompressedChunkArrivesCompressedWithTheSameBatches() {
    // SPEC 9.2 item 7.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-05-04");
    Skeleton.copy(source, target);

    backfill("--until", "2023-06-01");

    assertThat(compressedChunks(target)).isEqualTo(1);
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
    assertSameBatches();
    assertThat(target.count("SELECT status FROM (" + target.catalogQuery("compressed_chunks") + ") z")).isEqualTo(1);
    assertThat(target.count("SELECT sum(copied_rows) FROM __backfill.task")).isEqualTo(744);
  }

  @Test
  void aRecopyAfterCleanAndRestageNeverDuplicatesCompressedRows() {
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-06-01");
    Skeleton.copy(source, target);
    backfill("--until", "2023-06-01");

    assertThat(CliRun.of("clean", "--target", target.url()).exitCode()).isZero();
    backfill("--until", "2023-06-01");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
    assertThat(compressedChunks(target)).isEqualTo(5);
    assertSameBatches();
  }

  @Test
  void aChunkCompressedAfterTheSkeletonGetsACompressedChunkAtStage() {
    // SPEC 9.2 item 11: one chunk compressed before the dump, one after.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-05-04");
    Skeleton.copy(source, target);
    source.execute("SELECT compress_chunk(show_chunks('metrics', newer_than => '2023-05-25'::timestamptz))");

    CliRun stage = run("stage", "--until", "2023-06-01");
    assertThat(stage.stdout()).contains("Created 1 compressed chunks on the target for compressed source chunks.");
    assertThat(compressedChunks(target)).isEqualTo(2);
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NOT NULL")).isZero();
    assertThat(run("copy").exitCode()).isZero();
    assertThat(run("verify").exitCode()).isZero();

    assertThat(compressedChunks(target)).isEqualTo(2);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
    assertSameBatches();
  }

  @Test
  void untilInsideACompressedChunk() {
    // SPEC 9.2 item 14: everything compressed; the edge chunk is decompressed, cut and compressed again.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-06-01");
    Skeleton.copy(source, target);

    backfill("--until", "2023-05-05T23:30:00Z");

    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(2);
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(120);
    assertThat(compressedChunks(target)).isEqualTo(5);
    Rows.assertSame(source, target, "SELECT * FROM metrics WHERE time < '2023-05-05T23:30:00Z'");
  }

  @Test
  void untilInsideAChunkCompressedAfterTheSkeleton() {
    // SPEC 9.2 item 15.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    Skeleton.copy(source, target);
    compressSource("2023-06-01");

    backfill("--until", "2023-05-05T23:30:00Z");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(120);
    assertThat(compressedChunks(target)).isEqualTo(2);
  }

  @Test
  void untilInsideCompressedChunksOnBothSidesKeepsTheTargetsDualWrites() {
    // SPEC 9.2 item 16: the target holds dual-written rows from 05-01 on, compressed.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-06-01");
    Skeleton.copy(source, target);
    Datasets.hourly(target, "metrics", "2023-05-01", "2023-05-06 23:00");
    target.execute("UPDATE metrics SET val = -1",
        "SELECT compress_chunk(c, true) FROM show_chunks('metrics') c");

    backfill("--until", "2023-05-05T23:30:00Z");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(144);
    assertThat(target.count("SELECT count(*) FROM metrics WHERE val = -1")).isEqualTo(24);
    Rows.assertSame(source, target, "SELECT * FROM metrics WHERE time < '2023-05-05T23:30:00Z'");
  }

  @Test
  void partialChunksEndWithEveryRowVisible() {
    // SPEC 9.2 items 17 and 18: one chunk compressed and made partial after the skeleton, one
    // compressed before it and made partial after.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-05-04");
    Skeleton.copy(source, target);
    source.execute("SELECT compress_chunk(show_chunks('metrics', newer_than => '2023-05-25'::timestamptz))",
        "INSERT INTO metrics SELECT time + interval '30 minutes', 'late', val FROM metrics"
            + " WHERE time < '2023-05-04' OR time >= '2023-05-25'");
    assertThat(source.count("SELECT count(*) FROM _timescaledb_catalog.chunk WHERE status & 8 = 8")).isEqualTo(2);

    backfill("--until", "2023-06-01");

    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744 + 72 + 168);
    Rows.assertSame(source, target, "SELECT * FROM metrics");
    assertThat(compressedChunks(target)).isEqualTo(2);
  }

  @Test
  void aChunkDecompressedAfterTheSkeletonEndsUncompressed() {
    // SPEC 9.2 item 19.
    Datasets.metrics(source);
    source.execute(COMPRESS);
    compressSource("2023-06-01");
    Skeleton.copy(source, target);
    source.execute("SELECT decompress_chunk(c) FROM show_chunks('metrics') c");

    backfill("--until", "2023-06-01");

    assertThat(compressedChunks(target)).isZero();
    assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
  }

  @Test
  void compressedChunksAreCreatedTheWayTimescaleDbCreatesThem() {
    // SPEC 9.2 item 55: the DDL of the compressed chunk stage makes equals TimescaleDB's own, down to
    // a segmentby column whose name needs quotes, modulo the table's and indexes' names.
    source.execute(
        "CREATE TABLE metrics (time timestamptz NOT NULL, \"column< needs+quotes\" text, val numeric(10, 2),"
            + " id bigint)",
        "SELECT create_hypertable('metrics', 'time')",
        "CREATE INDEX ON metrics (id)",
        "CREATE TABLE devices (id bigint PRIMARY KEY)",
        "INSERT INTO metrics SELECT t, 'd' || extract(hour from t)::int % 3, 1.25, 7"
            + " FROM generate_series('2023-05-01'::timestamptz, '2023-05-03', '1 hour') t",
        "ALTER TABLE metrics SET (timescaledb.compress, timescaledb.compress_segmentby = '\"column< needs+quotes\"',"
            + " timescaledb.compress_orderby = 'time')");
    Skeleton.copy(source, target);
    source.execute("SELECT compress_chunk(c) FROM show_chunks('metrics') c");
    assertThat(run("stage", "--until", "2023-06-01").exitCode()).isZero();

    String sourceName =
        source.string("SELECT compressed_name FROM (" + source.catalogQuery("compressed_chunks") + ") z");
    String sourceDdl = ddl(source, sourceName);
    String targetDdl = ddl(target, "bf_" + sourceName);
    assertThat(targetDdl.replace("bf_" + sourceName, sourceName)).isEqualTo(sourceDdl);
  }

  /** pg_dump's DDL of a table, with index names and comments left out. */
  private static String ddl(TestDatabase db, String table) {
    String dump = db.server().tools()
        .run("pg_dump", db.settings(), null, "--schema-only", "--no-owner", "--no-privileges",
            "--table=_timescaledb_internal." + table)
        .requireSuccess().stdout();
    return dump.lines()
        .filter(l -> !l.startsWith("--") && !l.startsWith("\\") && !l.isBlank() && !l.startsWith("SET ")
            && !l.startsWith("SELECT pg_catalog.set_config"))
        .map(l -> l.replaceAll("CREATE INDEX (\"[^\"]*\"|\\S+) ON", "CREATE INDEX ON"))
        .sorted()
        .reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void aHypertableOnTheHypercoreAccessMethodIsRefusedAtStage() {
    // SPEC 9.2 item 53: TimescaleDB 2.18 to 2.21 only; 2.22 removed the access method.
    CatalogFeatures.assume(source, "SELECT EXISTS (SELECT 1 FROM pg_am WHERE amname = 'hypercore')",
        "only TimescaleDB 2.18 to 2.21 have the hypercore table access method");
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    source.execute("ALTER TABLE metrics SET ACCESS METHOD hypercore");
    long targetChunks = target.count("SELECT count(*) FROM show_chunks('metrics')");

    CliRun stage = run("stage", "--until", "2023-06-01");

    assertThat(stage.exitCode()).as(stage.stderr()).isEqualTo(2);
    assertThat(stage.stderr())
        .isEqualTo("Error: TimescaleDB does no longer support the hypercore table access method. Convert the"
            + " following tables to heap access method before upgrading: public.metrics. Run ALTER TABLE ..."
            + " SET ACCESS METHOD heap on each, then stage again.\n");
    assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
    assertThat(target.count("SELECT count(*) FROM show_chunks('metrics')")).isEqualTo(targetChunks);
  }

  @Test
  void continuousAggregateChunksAreCopiedWithoutInvalidations() {
    // SPEC 9.2 item 9.
    CatalogFeatures.assume(source,
        "SELECT to_regproc('_timescaledb_functions.continuous_agg_invalidation_trigger') IS NOT NULL"
            + " OR current_setting('timescaledb.skip_cagg_invalidation', true) IS NOT NULL",
        "TimescaleDB 2.24 to 2.27 log invalidations for rows written into a chunk and offer no way to skip"
            + " them (no trigger to drop, no skip_cagg_invalidation setting): refresh-caggs re-materializes"
            + " those ranges");
    Datasets.metrics(source);
    source.execute(
        "CREATE MATERIALIZED VIEW daily WITH (timescaledb.continuous) AS SELECT time_bucket('1 day', time) AS day,"
            + " device_id, avg(val) AS val FROM metrics GROUP BY 1, 2 WITH NO DATA",
        "CALL refresh_continuous_aggregate('daily', NULL, NULL)");
    Skeleton.copy(source, target);

    backfill("--until", "2023-06-01");

    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(6);
    Rows.assertSame(source, target, "SELECT * FROM daily");
    assertThat(target.count("SELECT count(*) FROM _timescaledb_catalog.continuous_aggs_hypertable_invalidation_log")).isZero();
    assertThat(source.count("SELECT count(*) FROM _timescaledb_catalog.continuous_aggs_hypertable_invalidation_log")).isZero();
    // The materialization log came with the skeleton's catalog; the copy added nothing to it.
    Rows.assertSame(source, target, "SELECT * FROM _timescaledb_catalog.continuous_aggs_materialization_invalidation_log");
  }

  @Test
  void aggregatesAreMatchedByViewNameWhenTheTargetWasNotMadeByADump() {
    // Made by hand on the target, after another hypertable: its materialization hypertable has
    // another id, so another _materialized_hypertable_N name, than the source's.
    String table = "CREATE TABLE metrics (time timestamptz NOT NULL, device_id text, val float8)";
    String view = "CREATE MATERIALIZED VIEW daily WITH (timescaledb.continuous) AS SELECT time_bucket('1 day', time)"
        + " AS day, device_id, avg(val) AS val FROM metrics GROUP BY 1, 2 WITH NO DATA";
    source.execute(table, "SELECT create_hypertable('metrics', 'time')", view);
    Datasets.hourly(source, "metrics", "2023-05-01", "2023-05-31 23:00");
    source.execute("CALL refresh_continuous_aggregate('daily', NULL, NULL)");
    target.execute("CREATE TABLE other (time timestamptz NOT NULL)", "SELECT create_hypertable('other', 'time')",
        table, "SELECT create_hypertable('metrics', 'time')", view);
    String materialization = "SELECT h.table_name::text FROM _timescaledb_catalog.continuous_agg c"
        + " JOIN _timescaledb_catalog.hypertable h ON h.id = c.mat_hypertable_id";
    assertThat(target.string(materialization)).isNotEqualTo(source.string(materialization));

    backfill("--until", "2023-06-01");

    Rows.assertSame(source, target, "SELECT * FROM metrics");
    Rows.assertSame(source, target, "SELECT * FROM daily");
  }
}
