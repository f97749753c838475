package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.CatalogFeatures;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code stage} against real TimescaleDB, one scenario per test, each on a fresh pair of databases. */
class StageIT extends FreshDatabasesTest {
  private CliRun stage(String... flags) {
    return run("stage", flags);
  }

  private static String output(String... lines) {
    return Version.banner() + "\n" + String.join("\n", lines) + "\n";
  }

  private List<List<Object>> tasks() {
    return target.rows(
        "SELECT chunk_schema::text, chunk_name::text, hypertable_name::text, filter FROM __backfill.task"
            + " ORDER BY priority");
  }

  /** The source's chunks of a hypertable, newest first, as stage should order its tasks. */
  private List<Object> sourceChunksNewestFirst(String hypertable) {
    return source.rows(
            "SELECT chunk_name FROM (" + source.catalogQuery("chunk_slices") + ") s"
                + " WHERE hypertable_name = '" + hypertable + "' ORDER BY range_start DESC")
        .stream().map(r -> r.get(0)).toList();
  }

  private void assertNothingWritten(long targetChunksBefore) {
    assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
    assertThat(target.count("SELECT count(*) FROM _timescaledb_catalog.chunk")).isEqualTo(targetChunksBefore);
  }

  private long targetChunks() {
    return target.count("SELECT count(*) FROM _timescaledb_catalog.chunk");
  }

  @Test
  void stagesOneTaskPerChunkNewestFirst() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    CliRun run = stage("--until", "2023-06-01");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .isEqualTo(output("Staged 5 chunks to copy.", "Execute the 'copy' command to migrate the data."));
    assertThat(run.stderr()).isEmpty();
    assertThat(tasks()).extracting(r -> r.get(1)).containsExactlyElementsOf(sourceChunksNewestFirst("metrics"));
    assertThat(tasks()).allSatisfy(r -> assertThat(r.get(3)).isNull());
    assertThat(target.count("SELECT count(*) FROM __backfill.session")).isEqualTo(1);
    // The original's documented progress query still works on our schema.
    assertThat(
            target.rows(
                "SELECT hypertable_schema::text, hypertable_name::text, count(*), count(worked)"
                    + " FROM __backfill.task GROUP BY 1, 2"))
        .containsExactly(List.of("public", "metrics", 5L, 0L));
    // Dimensions in the original's format, with TimescaleDB's internal values.
    assertThat(
            target.string(
                "SELECT dimensions::text FROM __backfill.task WHERE chunk_name = '"
                    + sourceChunksNewestFirst("metrics").get(4) + "'"))
        .isEqualTo(
            "[{\"range_end\": 1683158400000000, \"column_name\": \"time\", \"column_type\":"
                + " \"timestamp with time zone\", \"range_start\": 1682553600000000}]");
  }

  @Test
  void boundsInsideAChunkGiveItAnEdgeFilter() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    CliRun run = stage("--until", "2023-05-26", "--from", "2023-05-06T12:00:00Z");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(tasks())
        .extracting(r -> r.get(3))
        .containsExactly(
            "\"time\" < '2023-05-26 00:00:00+00'",
            null,
            null,
            "\"time\" >= '2023-05-06 12:00:00+00'");
  }

  @Test
  void boundsOnChunkEdgesNeedNoFilter() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    // 2023-05-04 and 2023-05-11 are the start and end of one 7-day chunk (SPEC 9.2 item 4).
    CliRun run = stage("--from", "2023-05-04", "--until", "2023-05-11");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(tasks()).hasSize(1);
    assertThat(tasks().get(0).get(3)).isNull();
  }

  @Test
  void everyTimeTypeAndNegativeIntegerBounds() {
    source.execute(
        "CREATE TABLE ts (time timestamp NOT NULL, v int)",
        "SELECT create_hypertable('ts', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO ts SELECT t, 1 FROM generate_series('2016-01-01'::timestamp, '2016-01-03 23:00', '1 hour') t",
        "CREATE TABLE d (day date NOT NULL, v int)",
        "SELECT create_hypertable('d', 'day', chunk_time_interval => interval '2 days')",
        "INSERT INTO d SELECT t, 1 FROM generate_series('2016-01-01'::date, '2016-01-08', '1 day') t",
        "CREATE TABLE s (t smallint NOT NULL, v int)",
        "SELECT create_hypertable('s', 't', chunk_time_interval => 10)",
        "INSERT INTO s SELECT g, 1 FROM generate_series(-30, 29) g",
        "CREATE TABLE i (t integer NOT NULL, v int)",
        "SELECT create_hypertable('i', 't', chunk_time_interval => 10)",
        "INSERT INTO i SELECT g, 1 FROM generate_series(-30, 29) g",
        "CREATE TABLE b (t bigint NOT NULL, v int)",
        "SELECT create_hypertable('b', 't', chunk_time_interval => 10)",
        "INSERT INTO b SELECT g, 1 FROM generate_series(-30, 29) g");
    Skeleton.copy(source, target);

    CliRun timestamps = stage("--filter", "^public\\.(ts|d)$", "--until", "2016-01-02T12:00");
    assertThat(timestamps.exitCode()).as(timestamps.stderr()).isZero();
    assertThat(target.rows("SELECT hypertable_name::text, filter FROM __backfill.task ORDER BY priority"))
        .containsExactlyInAnyOrder(
            List.of("ts", "\"time\" < '2016-01-02 12:00:00'"),
            Arrays.asList("ts", null),
            Arrays.asList("d", null));

    CliRun integers = stage("--filter", "^public\\.[sib]$", "--from=-25", "--until=-5");
    assertThat(integers.exitCode()).as(integers.stderr()).isZero();
    for (String table : List.of("s", "i", "b")) {
      assertThat(
              target.rows(
                  "SELECT filter, dimensions->0->>'range_start' FROM __backfill.task WHERE hypertable_name = '"
                      + table + "' ORDER BY priority"))
          .as(table)
          .containsExactly(
              List.of("t < '-5'", "-10"),
              Arrays.asList(null, "-20"),
              List.of("t >= '-25'", "-30"));
    }
  }

  @Test
  void spacePartitionsGiveOneTaskPerChunk() {
    source.execute(
        "CREATE TABLE readings (time bigint NOT NULL, device_id int NOT NULL, v float8)",
        "SELECT create_hypertable('readings', 'time', chunk_time_interval => 86400000)",
        "SELECT add_dimension('readings', 'device_id', number_partitions => 15)",
        "INSERT INTO readings SELECT t, d, 1 FROM generate_series(0, 604799999, 3600000) t,"
            + " generate_series(1, 50) d");
    Skeleton.copy(source, target);

    CliRun run = stage("--until", "604800000");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Staged 105 chunks to copy.");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(105);
  }

  @Test
  void chunksMarkedDroppedAreSkipped() {
    // SPEC 9.2 item 39. TimescaleDB marks chunks dropped (keeping their catalog rows) when a
    // continuous aggregate still needs them; this test sets the flag by hand, as a superuser may.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    CatalogFeatures.assumeColumn(source, "_timescaledb_catalog.chunk", "dropped",
        "TimescaleDB 2.26 removed chunk.dropped: a dropped chunk leaves the catalog");
    source.execute(
        "UPDATE _timescaledb_catalog.chunk SET dropped = true WHERE table_name IN ("
            + "SELECT table_name FROM _timescaledb_catalog.chunk ORDER BY id LIMIT 2)");

    CliRun run = stage("--until", "2023-05-18");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Staged 1 chunks to copy.");
  }

  @Test
  void restagingSkipsWhatWasStagedAndAddsTheRest() {
    // SPEC 9.2 item 40.
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    assertThat(stage("--until", "2023-05-04").stdout()).contains("Staged 1 chunks to copy.");

    CliRun again = stage("--until", "2023-05-18");

    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout())
        .isEqualTo(
            output(
                "Skipping 1 chunks that were already staged. To re-stage run the `clean` command first.",
                "Staged 2 chunks to copy.",
                "Execute the 'copy' command to migrate the data."));
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(3);
  }

  @Test
  void aPendingEdgeChunkIsReplannedForNewBounds() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    stage("--until", "2023-05-26");
    String edge = (String) tasks().get(0).get(1);

    CliRun later = stage("--until", "2023-05-28T06:00:00Z");

    assertThat(later.exitCode()).as(later.stderr()).isZero();
    assertThat(later.stdout())
        .isEqualTo(
            output(
                "Skipping 4 chunks that were already staged. To re-stage run the `clean` command first.",
                "Re-planned 1 pending chunks for the new bounds.",
                "Staged 0 chunks to copy.",
                "Execute the 'copy' command to migrate the data."));
    assertThat(target.string("SELECT filter FROM __backfill.task WHERE chunk_name = '" + edge + "'"))
        .isEqualTo("\"time\" < '2023-05-28 06:00:00+00'");
    assertThat(target.string("SELECT until_bound FROM __backfill.task WHERE chunk_name = '" + edge + "'"))
        .isEqualTo("2023-05-28T06:00:00Z");
  }

  @Test
  void aCopiedChunkCannotBeRestagedWithOtherBounds() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    stage("--until", "2023-05-26");
    target.execute("UPDATE __backfill.task SET worked = tstzrange(now(), now(), '[]') WHERE filter IS NOT NULL");
    String edge = (String) tasks().get(0).get(1);
    long tasksBefore = target.count("SELECT count(*) FROM __backfill.task");

    CliRun run = stage("--until", "2023-06-01");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "Error: 1 chunks were already copied with other bounds: \"_timescaledb_internal\".\""
                + edge + "\". Re-staging them with new bounds would leave their copies wrong. Run the"
                + " `clean` command first, then stage and copy again.\n");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(tasksBefore);
    assertThat(target.string("SELECT filter FROM __backfill.task WHERE chunk_name = '" + edge + "'"))
        .isEqualTo("\"time\" < '2023-05-26 00:00:00+00'");
  }

  @Test
  void chunksTheTargetLacksAreCreatedWithTheSourcesSlices() {
    // SPEC 9.2 item 10: chunks made after the dump, here with space partitions too.
    source.execute(
        "CREATE TABLE readings (time timestamptz NOT NULL, device text NOT NULL, v float8 NOT NULL,"
            + " CHECK (v >= 0))",
        "SELECT create_hypertable('readings', 'time', chunk_time_interval => interval '1 day')",
        "SELECT add_dimension('readings', 'device', number_partitions => 4)",
        "INSERT INTO readings SELECT t, 'dev' || (extract(minute from t)::int % 13), 1"
            + " FROM generate_series('2024-03-01'::timestamptz, '2024-03-02 23:59', '7 minutes') t");
    Skeleton.copy(source, target);
    // A user trigger on the target must not see stage's probe rows.
    target.execute(
        "CREATE TABLE audit (n int)",
        "CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$BEGIN INSERT INTO audit VALUES (1); RETURN NEW; END$$",
        "CREATE TRIGGER count_insert BEFORE INSERT ON readings FOR EACH ROW EXECUTE FUNCTION count_insert()");
    source.execute(
        "INSERT INTO readings SELECT t, 'dev' || (extract(minute from t)::int % 13), 2"
            + " FROM generate_series('2024-03-03'::timestamptz, '2024-03-04 23:59', '7 minutes') t");
    long before = targetChunks();
    long sourceChunks = source.count("SELECT count(*) FROM show_chunks('readings')");

    CliRun run = stage("--until", "2024-03-05");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Created " + (sourceChunks - before) + " chunks on the target that it lacked.")
        .contains("Staged " + sourceChunks + " chunks to copy.");
    String slices =
        "SELECT range_start, range_end, column_name FROM (" + source.catalogQuery("chunk_slices")
            + ") s ORDER BY 1, 2, 3";
    assertThat(target.rows(slices)).isEqualTo(source.rows(slices));
    assertThat(target.count("SELECT count(*) FROM readings")).isZero();
    assertThat(target.count("SELECT count(*) FROM audit")).isZero();
  }

  @Test
  void anEmptySourceChunkStillGetsItsTargetChunk() {
    source.execute(
        "CREATE TABLE readings (time timestamptz NOT NULL, device int NOT NULL, v float8)",
        "SELECT create_hypertable('readings', 'time', chunk_time_interval => interval '1 day')",
        "SELECT add_dimension('readings', 'device', number_partitions => 3)");
    Skeleton.copy(source, target);
    source.execute(
        "INSERT INTO readings SELECT '2024-03-01 10:00'::timestamptz, d, 1 FROM generate_series(1, 9) d",
        "DELETE FROM readings");

    CliRun run = stage("--until", "2024-04-01");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    long chunks = source.count("SELECT count(*) FROM show_chunks('readings')");
    assertThat(chunks).isPositive();
    assertThat(run.stdout()).contains("Created " + chunks + " chunks on the target that it lacked.");
    assertThat(target.count("SELECT count(*) FROM show_chunks('readings')")).isEqualTo(chunks);
    assertThat(target.count("SELECT count(*) FROM readings")).isZero();
  }

  @Test
  void aTargetWithAnotherChunkIntervalCannotReceiveMissingChunks() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-03");
    target.execute(
        "SELECT set_chunk_time_interval('metrics', interval '1 day')",
        "INSERT INTO metrics VALUES ('2023-06-02 05:00', 'dual', 1)");
    long before = targetChunks();

    CliRun run = stage("--until", "2023-07-01");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith("Error: cannot stage chunk \"_timescaledb_internal\".")
        .contains(
            "of public.metrics (time [1685577600000000, 1686182400000000)): the target lacks a chunk"
                + " with these slices, and its chunk \"_timescaledb_internal\".")
        .contains("overlaps them, so none can be created.");
    assertNothingWritten(before);
  }

  @Test
  void aCreationTheTargetRefusesMidBatchFailsWithItsOwnErrorAndWritesNothing() {
    // Ten chunks to create, one batch, sent at once: the sixth (newest first) is refused, so the
    // statements after it on the target fail only because the transaction is aborted, and the
    // deletes of the five before it too. The error must be the refusal.
    source.execute(
        "CREATE TABLE hourly (t bigint NOT NULL, v int NOT NULL)",
        "SELECT create_hypertable('hourly', 't', chunk_time_interval => 1)");
    Skeleton.copy(source, target);
    target.execute("ALTER TABLE hourly ADD CONSTRAINT not_four CHECK (v <> 4)");
    source.execute("INSERT INTO hourly SELECT g, g FROM generate_series(0, 9) g");
    long before = targetChunks();

    CliRun run = stage("--until", "100");

    assertThat(run.exitCode()).as(run.stderr()).isNotZero();
    assertThat(run.stderr())
        .startsWith("Error: creating the target chunk for \"_timescaledb_internal\".\"_hyper_")
        .contains("violates check constraint \"not_four\"")
        .contains("(SQLSTATE 23514)")
        .doesNotContain("25P02");
    assertNothingWritten(before);
  }

  @Test
  void aSessionEndedByTheServerFailsWithTheServersReasonAndWritesNothing() throws Exception {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-03");
    long before = targetChunks();
    try (Connection blocker = target.connect()) {
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("LOCK TABLE metrics IN ACCESS EXCLUSIVE MODE");
      try (Launched stage =
          Launched.start(CliRun.args(source, target, "stage", "--until", "2023-07-01"))) {
        Waits.await("stage to wait for the lock", Duration.ofSeconds(60),
            () -> ToolSessions.count(target, ToolSessions.WAITING_FOR_A_LOCK) > 0);
        ToolSessions.terminate(target, ToolSessions.WAITING_FOR_A_LOCK);

        assertThat(stage.exitCode(60)).isEqualTo(1);
        assertThat(stage.stderr()).matches(
            "Error: creating the target chunk for \"_timescaledb_internal\"\\.\"_hyper_\\d+_\\d+_chunk\""
                + " failed on the target server " + Pattern.quote(target.settings().address())
                + ": terminating connection due to administrator command \\(SQLSTATE 57P01\\)\n");
      }
      blocker.rollback();
    }
    assertNothingWritten(before);
  }

  @Test
  void withoutTslMissingChunksNeedTheSourcesInterval() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    Datasets.hourly(source, "metrics", "2023-06-01", "2023-06-03");
    target.execute("SELECT set_chunk_time_interval('metrics', interval '1 day')");
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "timescale".equals(target.license()), "with TSL, create_chunk takes any slices");
    long before = targetChunks();

    CliRun run = stage("--until", "2023-07-01");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains(
            "the target lacks it, and its TimescaleDB (without the TSL license) can only create chunks"
                + " through the hypertable, which partitions time timestamp with time zone (interval"
                + " 86400000000) where the source has time timestamp with time zone (interval"
                + " 604800000000).");
    assertNothingWritten(before);
  }

  @Test
  void columnsMayComeInAnotherOrderButMustAgree() {
    source.execute(
        "CREATE TABLE metrics (time timestamptz NOT NULL, device_id text, val float8)",
        "SELECT create_hypertable('metrics', 'time')",
        "INSERT INTO metrics VALUES ('2023-05-01', 'a', 1)");
    target.execute(
        "CREATE TABLE metrics (val float8, device_id text, time timestamptz NOT NULL)",
        "SELECT create_hypertable('metrics', 'time')");
    CliRun reordered = stage("--until", "2023-06-01");
    assertThat(reordered.exitCode()).as(reordered.stderr()).isZero();
    assertThat(reordered.stdout()).contains("Staged 1 chunks to copy.");

    target.execute("DROP SCHEMA __backfill CASCADE", "ALTER TABLE metrics ADD COLUMN extra bigint");
    long before = targetChunks();
    CliRun extra = stage("--until", "2023-06-01");
    assertThat(extra.exitCode()).isEqualTo(2);
    assertThat(extra.stderr())
        .isEqualTo(
            "Error: Found issues between the source and target hypertables:\n"
                + "- 'public.metrics' columns mismatch:\n"
                + "    * source columns: time timestamp with time zone (pg_catalog.timestamptz), device_id text (pg_catalog.text),"
                + " val double precision (pg_catalog.float8)\n"
                + "    * target columns: val double precision (pg_catalog.float8), device_id text (pg_catalog.text),"
                + " time timestamp with time zone (pg_catalog.timestamptz), extra bigint (pg_catalog.int8)\n"
                + "Make the target's tables match the source's (the target's schema should come from a"
                + " pg_dump of the source), then run stage again.\n");
    assertNothingWritten(before);
  }

  @Test
  void aMissingTargetHypertableOrAPlainTableIsRefused() {
    source.execute(
        "CREATE TABLE metrics (time timestamptz NOT NULL, val float8)",
        "SELECT create_hypertable('metrics', 'time')",
        "INSERT INTO metrics VALUES ('2023-05-01', 1)",
        "CREATE TABLE other (time timestamptz NOT NULL, val float8)",
        "SELECT create_hypertable('other', 'time')",
        "INSERT INTO other VALUES ('2023-05-01', 1)");
    target.execute("CREATE TABLE metrics (time timestamptz NOT NULL, val float8)");

    CliRun run = stage("--until", "2023-06-01");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "Error: Found issues between the source and target hypertables:\n"
                + "- 'public.metrics' exists in target but is not a hypertable: make it one with"
                + " create_hypertable, as on the source.\n"
                + "    * source columns: time timestamp with time zone (pg_catalog.timestamptz), val double precision (pg_catalog.float8)\n"
                + "- 'public.other' not found in target:\n"
                + "    * source columns: time timestamp with time zone (pg_catalog.timestamptz), val double precision (pg_catalog.float8)\n"
                + "Make the target's tables match the source's (the target's schema should come from a"
                + " pg_dump of the source), then run stage again.\n");
    assertNothingWritten(0);
  }

  @Test
  void badBoundsAndFiltersAreRefusedBeforeAnythingIsWritten() {
    Datasets.metrics(source);
    source.execute(
        "CREATE TABLE ints (t bigint NOT NULL, v int)",
        "SELECT create_hypertable('ints', 't', chunk_time_interval => 10)",
        "INSERT INTO ints VALUES (1, 1)");
    Skeleton.copy(source, target);
    long before = targetChunks();

    CliRun regex = stage("--until", "2023-06-01", "--filter", "metrics(");
    assertThat(regex.exitCode()).isEqualTo(2);
    assertThat(regex.stderr())
        .startsWith("Error: filter argument 'metrics(' is not a valid regular expression: invalid"
            + " regular expression: parentheses () not balanced. --filter takes a POSIX regular expression");

    CliRun badDate = stage("--until", "2023-13-45", "--filter", "metrics");
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.stderr())
        .startsWith(
            "Error: until argument '2023-13-45' is not a valid datetime and some matching hypertables"
                + " use date, timestamp, or timestamptz time columns (public.metrics): ");

    CliRun integerForTimestamps = stage("--until", "604800000", "--filter", "metrics");
    assertThat(integerForTimestamps.exitCode()).isEqualTo(2);
    assertThat(integerForTimestamps.stderr())
        .startsWith("Error: until argument '604800000' is not a valid datetime");

    CliRun timestampForIntegers = stage("--until", "2023-06-01", "--filter", "ints");
    assertThat(timestampForIntegers.exitCode()).isEqualTo(2);
    assertThat(timestampForIntegers.stderr())
        .isEqualTo(
            "Error: until argument '2023-06-01' is not a valid integer and some matching hypertables"
                + " use smallint, integer, or bigint time columns (public.ints). Give a value of their"
                + " time type, or select other hypertables with --filter.\n");

    CliRun badFrom = stage("--until", "100", "--from", "ten", "--filter", "ints");
    assertThat(badFrom.exitCode()).isEqualTo(2);
    assertThat(badFrom.stderr()).startsWith("Error: from argument 'ten' is not a valid integer");

    CliRun reversed = stage("--until", "2023-05-10", "--from", "2023-05-20", "--filter", "metrics");
    assertThat(reversed.exitCode()).isEqualTo(2);
    assertThat(reversed.stderr())
        .isEqualTo(
            "Error: --from '2023-05-20' is not before --until '2023-05-10': nothing lies between them."
                + " Give a --from earlier than --until.\n");

    CliRun outOfRange = stage("--until", "99999999999999999999", "--filter", "ints");
    assertThat(outOfRange.exitCode()).isEqualTo(2);
    assertThat(outOfRange.stderr()).startsWith("Error: until argument '99999999999999999999' is not a valid integer");

    CliRun missingUntil = CliRun.of("stage", "--source", source.url(), "--target", target.url());
    assertThat(missingUntil.exitCode()).isEqualTo(2);
    assertThat(missingUntil.stderr()).startsWith("Error: Missing required option: '--until=TIME'");

    assertNothingWritten(before);
  }

  @Test
  void anUnsupportedTimeTypeIsAnError() {
    source.execute(
        "CREATE FUNCTION text_time(text) RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT length($1)::bigint $$",
        "CREATE TABLE events (label text NOT NULL, v int)",
        "SELECT create_hypertable('events', 'label', chunk_time_interval => 10,"
            + " time_partitioning_func => 'text_time')",
        "INSERT INTO events VALUES ('abc', 1)");
    Skeleton.copy(source, target);

    CliRun run = stage("--until", "100");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "Error: stage cannot bound the time of public.events (column label of type text): the time"
                + " dimension must be one of timestamptz, timestamp, date, smallint, integer, bigint."
                + " Leave these hypertables out with --filter.\n");
    assertNothingWritten(targetChunks());
  }

  @Test
  void sourceAndTargetMustBeDifferentDatabases() {
    Datasets.metrics(source);

    CliRun sameUrl = CliRun.of("stage", "--source", source.url(), "--target", source.url(), "--until", "2024-01-01");
    assertThat(sameUrl.exitCode()).isEqualTo(2);
    assertThat(sameUrl.stderr()).startsWith("Error: --source and --target name the same database (");

    // Another spelling of the same server and database is caught by TimescaleDB's database id.
    String otherSpelling = source.url().replace("127.0.0.1", "localhost");
    CliRun sameDatabase =
        CliRun.of("stage", "--source", source.url(), "--target", otherSpelling, "--until", "2024-01-01");
    assertThat(sameDatabase.exitCode()).isEqualTo(2);
    assertThat(sameDatabase.stderr()).startsWith("Error: --source and --target name the same database (");
    assertThat(source.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
  }

  @Test
  void theFilterIsCaseInsensitiveUnanchoredAndSeesQuotedNames() {
    source.execute(
        "CREATE SCHEMA other",
        "CREATE TABLE public.\"MyTable\" (time timestamptz NOT NULL, v int)",
        "SELECT create_hypertable('public.\"MyTable\"', 'time')",
        "INSERT INTO public.\"MyTable\" VALUES ('2023-05-01', 1)",
        "CREATE TABLE other.metrics (time timestamptz NOT NULL, v int)",
        "SELECT create_hypertable('other.metrics', 'time')",
        "INSERT INTO other.metrics VALUES ('2023-05-01', 1), ('2023-05-20', 2)",
        "CREATE TABLE plain (id int)");
    Skeleton.copy(source, target);

    CliRun quoted = stage("--until", "2024-01-01", "--filter", "^public\\.\"mytable\"$");
    assertThat(quoted.stdout()).contains("Staged 1 chunks to copy.");

    CliRun unanchored = stage("--until", "2024-01-01", "--filter", "METRIC");
    assertThat(unanchored.stdout()).contains("Staged 2 chunks to copy.");

    CliRun onlyPlain = stage("--until", "2024-01-01", "--filter", "^public\\.plain$");
    assertThat(onlyPlain.exitCode()).isZero();
    assertThat(onlyPlain.stdout()).contains("Staged 0 chunks to copy.");
    assertThat(onlyPlain.stderr())
        .isEqualTo(
            "Warning: --filter '^public\\.plain$' matches no hypertable and no continuous aggregate;"
                + " it matches only tables or views that are not hypertables (public.plain), whose data"
                + " backfill does not copy: the schema dump carries them. Nothing was staged.\n");

    CliRun nothing = stage("--until", "2024-01-01", "--filter", "nothing_like_this");
    assertThat(nothing.exitCode()).isZero();
    assertThat(nothing.stdout()).contains("Staged 0 chunks to copy.");
    assertThat(nothing.stderr())
        .isEqualTo(
            "Warning: --filter 'nothing_like_this' matches no hypertable and no continuous aggregate."
                + " Nothing was staged.\n");
  }

  @Test
  void aSchemaLeftByTheOriginalToolIsUpgradedInPlace() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    String firstChunk = (String) sourceChunksNewestFirst("metrics").get(4);
    target.execute(
        "CREATE SCHEMA __backfill",
        "CREATE TABLE __backfill.task ( priority bigint not null generated by default as identity primary key,"
            + " worked tstzrange, copy_message text, verified tstzrange, verify_message text,"
            + " chunk_schema name not null, chunk_name name not null, hypertable_schema name not null,"
            + " hypertable_name name not null, dimensions jsonb not null, filter text, snapshot text)",
        "CREATE UNIQUE INDEX ON __backfill.task (priority) WHERE (worked IS NULL)",
        "CREATE UNIQUE INDEX ON __backfill.task (chunk_schema, chunk_name)",
        "CREATE UNIQUE INDEX ON __backfill.task (priority) WHERE (verified IS NULL AND worked IS NOT NULL)",
        "CREATE TABLE __backfill.session (id uuid not null, created_at timestamptz default now(),"
            + " one_row_constraint bool default true not null unique check (one_row_constraint))",
        "INSERT INTO __backfill.session (id) VALUES (gen_random_uuid())",
        "INSERT INTO __backfill.task (chunk_schema, chunk_name, hypertable_schema, hypertable_name, dimensions)"
            + " VALUES ('_timescaledb_internal', '" + firstChunk + "', 'public', 'metrics', '[]')");

    CliRun run = stage("--until", "2023-06-01");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Skipping 1 chunks that were already staged.")
        .contains("Staged 4 chunks to copy.");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(5);
    assertThat(target.count("SELECT count(*) FROM __backfill.session")).isEqualTo(1);
    assertThat(
            target.count(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = '__backfill'"
                    + " AND table_name = 'task' AND column_name IN ('copied_rows', 'last_error', 'until_bound')"))
        .isEqualTo(3);
  }

  @Test
  void theSnapshotIsStoredWithEachTask() {
    Datasets.metrics(source);
    Skeleton.copy(source, target);

    CliRun run = stage("-u", "2023-05-11", "-s", "00000003-0000001B-1");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(target.rows("SELECT DISTINCT snapshot FROM __backfill.task"))
        .containsExactly(List.of("00000003-0000001B-1"));
  }

  @Test
  void twoStagesOnOneTargetNeverInterleave() throws Exception {
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    try (var holder = target.connect(); var statement = holder.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(hashtext('timescaledb-backfill stage')::bigint)");
      var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> stage("--until", "2023-06-01"));
      Thread.sleep(1500);
      assertThat(waiting).isNotDone();
      assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
      statement.execute("SELECT pg_advisory_unlock(hashtext('timescaledb-backfill stage')::bigint)");
      CliRun run = waiting.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(run.exitCode()).isZero();
      assertThat(run.stderr())
          .isEqualTo("Waiting for another stage on this target database to finish...\n");
      assertThat(run.stdout()).contains("Staged 5 chunks to copy.");
    }
  }
}
