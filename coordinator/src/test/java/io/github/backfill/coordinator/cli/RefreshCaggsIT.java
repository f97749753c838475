package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.Tsl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code refresh-caggs} on the original's scenarios (SPEC 9.2, 44-48): t1 (timestamptz, 1-day
 * chunks) with the hierarchy {@code "caggs""_T1"} (1 day) -> {@code caggs_t1_2} (1 month) ->
 * {@code caggs_t1_3} (2 months), and t2 (bigint time, an integer-now function) with
 * {@code caggs_t2}. Each scenario gets a target of its own, made from the same source by a schema
 * dump; then both sides receive dual-writes and only the source's aggregates are refreshed.
 * The scenarios with aggregates need TimescaleDB's TSL license and are skipped, visibly, without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshCaggsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final List<String> SCENARIOS = List.of("all", "filter", "up", "down");
  private static final String T1 = "caggs\"_T1";

  /** The original's expected lines, for TimescaleDB 2.12 and later (#5860 changed them). */
  private static final Map<String, String> LINES =
      Map.of(
          T1, "Refreshing continuous aggregate 'public'.'caggs\"_T1' in range"
              + " [2023-09-07 00:00:00+00, 2024-01-07 00:00:00+00)",
          "caggs_t1_2", "Refreshing continuous aggregate 'public'.'caggs_t1_2' in range"
              + " [2023-10-01 00:00:00+00, 2024-02-01 00:00:00+00)",
          "caggs_t1_3", "Refreshing continuous aggregate 'public'.'caggs_t1_3' in range"
              + " [2023-11-01 00:00:00+00, 2024-03-01 00:00:00+00)",
          "caggs_t2", "Refreshing continuous aggregate 'public'.'caggs_t2' in range [10, 40)");

  private final List<TestDatabase> created = new ArrayList<>();
  private TestDatabase source;
  private final Map<String, TestDatabase> targets = new LinkedHashMap<>();
  private Map<String, Long> initial;
  private Map<String, Long> refreshed;

  @AfterAll
  void dropCreatedDatabases() {
    created.forEach(BackfillDatabases::drop);
  }

  @ParameterizedTest(name = "{0}: {1} {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "all;;;caggs_t2,caggs\"_T1,caggs_t1_2,caggs_t1_3",
        "filter;public.\"caggs\"\"_T1\";;caggs\"_T1",
        "up;public.\"caggs\"\"_T1\";--cascade-up;caggs\"_T1,caggs_t1_2,caggs_t1_3",
        "down;public.caggs_t1_3;-D;caggs\"_T1,caggs_t1_2,caggs_t1_3"
      })
  void refreshesTheSelectedAggregatesUpToTheSourceParentsFirst(
      String scenario, String filter, String cascade, String expected) {
    hierarchy();
    TestDatabase target = targets.get(scenario);
    List<String> flags = new ArrayList<>();
    if (filter != null) {
      flags.addAll(List.of("-f", filter));
    }
    if (cascade != null) {
      flags.add(cascade);
    }
    List<String> views = List.of(expected.split(","));

    CliRun run = CliRun.between(source, target, "refresh-caggs", flags.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = new ArrayList<>();
    lines.add(Version.banner());
    views.forEach(v -> lines.add(LINES.get(v)));
    lines.add("Refreshed continuous aggregates");
    assertThat(run.stdout().lines().toList()).containsExactlyElementsOf(lines);
    if (views.contains("caggs_t1_3")) {
      // parents first: each child reads what its parent materialized just before
      assertThat(lines.indexOf(LINES.get(T1)))
          .isLessThan(lines.indexOf(LINES.get("caggs_t1_2")))
          .isLessThan(lines.indexOf(LINES.get("caggs_t1_3")));
    }
    Map<String, Long> expectedWatermarks = new TreeMap<>(initial);
    views.forEach(v -> expectedWatermarks.put(v, refreshed.get(v)));
    assertThat(watermarks(target)).isEqualTo(expectedWatermarks);
    assertThat(views.stream().map(refreshed::get).toList())
        .isEqualTo(views.stream().map(watermarks(source)::get).toList());

    if (scenario.equals("all")) {
      // the target's aggregates now hold its dual-written rows, down to the last level; a second
      // run finds nothing left to do
      for (String view : views) {
        assertThat(target.count("SELECT count(*) FROM " + materialization(target, view)))
            .as(view)
            .isEqualTo(1);
      }
      assertThat(run.stderr())
          .isEqualTo(
              "Warning: continuous aggregate 'public'.'caggs_source_only' exists on the source but"
                  + " not on the target, so it is not refreshed. Create it on the target as the"
                  + " source has it, then run refresh-caggs again.\n");
      CliRun again = CliRun.between(source, target, "refresh-caggs");
      assertThat(again.exitCode()).as(again.stderr()).isZero();
      assertThat(again.stderr()).isEqualTo(run.stderr());
      assertThat(again.stdout().lines().toList())
          .containsExactly(Version.banner(), "Refreshed continuous aggregates");
    } else {
      assertThat(run.stderr()).isEmpty();
    }
  }

  @Test
  void saysSoWhenTheSourceHasNoContinuousAggregates() {
    TestDatabase empty = dbs.source();
    empty.execute(
        "CREATE TABLE IF NOT EXISTS plain (time timestamptz NOT NULL, v int)",
        "SELECT create_hypertable('plain', 'time', if_not_exists => true)",
        "INSERT INTO plain VALUES ('2024-01-01', 1)");
    for (String[] flags : List.of(new String[0], new String[] {"--filter", "caggs", "-U", "-D"})) {
      CliRun run = CliRun.between(empty, dbs.target(), "refresh-caggs", flags);

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout().lines().toList())
          .containsExactly(
              Version.banner(),
              "No continuous aggregates to refresh",
              "Refreshed continuous aggregates");
    }
  }

  @Test
  void anInvalidRegexIsAUsageError() {
    CliRun run = CliRun.between(dbs.source(), dbs.target(), "refresh-caggs", "--filter", "caggs(");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith(
            "Error: filter argument 'caggs(' is not a valid regular expression: invalid regular"
                + " expression: parentheses () not balanced. --filter takes a POSIX regular"
                + " expression, matched case-insensitively against \"schema\".\"view\" names of"
                + " continuous aggregates.");
    assertThat(run.stdout().lines().toList()).containsExactly(Version.banner());
  }

  /**
   * The original's {@code tests/source_schema.sql} on a source of its own, one target per scenario
   * from its schema dump, then dual-writes on every side and refreshes on the source only.
   */
  private void hierarchy() {
    Tsl.assumeAvailable(dbs.source(), dbs.target());
    if (source != null) {
      return;
    }
    source = create(dbs.source(), "_caggs");
    source.execute(
        "CREATE TABLE t1 (time timestamptz NOT NULL, key int NOT NULL, value float)",
        "SELECT create_hypertable('t1', 'time', chunk_time_interval => interval '1 day')",
        "CREATE MATERIALIZED VIEW \"caggs\"\"_T1\" WITH (timescaledb.continuous) AS"
            + " SELECT time_bucket('1 day', time) AS day, key, max(value) AS high FROM t1"
            + " GROUP BY day, key",
        "CREATE MATERIALIZED VIEW caggs_t1_2 WITH (timescaledb.continuous) AS"
            + " SELECT time_bucket('1 month', day) AS month, key, max(high) AS high"
            + " FROM \"caggs\"\"_T1\" GROUP BY month, key",
        "CREATE MATERIALIZED VIEW caggs_t1_3 WITH (timescaledb.continuous) AS"
            + " SELECT time_bucket('2 month', month) AS bimonth, key, max(high) AS high"
            + " FROM caggs_t1_2 GROUP BY bimonth, key",
        "INSERT INTO t1 VALUES ('2023-09-06 19:27:30.024001+02', 1, 1)",
        "CALL refresh_continuous_aggregate('\"caggs\"\"_T1\"', NULL, '2023-09-07 19:27:30.024001+02')",
        "CALL refresh_continuous_aggregate('caggs_t1_2', NULL, '2023-10-30 02:00:00+02')",
        "CALL refresh_continuous_aggregate('caggs_t1_3', NULL, '2023-12-01 02:00:00+02')",
        "CREATE TABLE t2 (time bigint NOT NULL, key int NOT NULL, value float)",
        "SELECT create_hypertable('t2', 'time', chunk_time_interval => 10)",
        "CREATE FUNCTION latest_time_t2() RETURNS bigint LANGUAGE sql STABLE AS"
            + " $$ SELECT max(time) FROM t2 $$",
        "SELECT set_integer_now_func('t2', 'latest_time_t2')",
        "CREATE MATERIALIZED VIEW caggs_t2 WITH (timescaledb.continuous) AS"
            + " SELECT time_bucket(10, time) AS day, key, max(value) AS high FROM t2"
            + " GROUP BY day, key",
        "INSERT INTO t2 VALUES (1, 1, 1)",
        "CALL refresh_continuous_aggregate('caggs_t2', 0, 10)");
    initial = watermarks(source);
    assertThat(initial)
        .containsOnlyKeys(T1, "caggs_t1_2", "caggs_t1_3", "caggs_t2")
        .containsEntry(T1, 1694044800000000L)
        .containsEntry("caggs_t2", 10L);
    for (String scenario : SCENARIOS) {
      TestDatabase target = create(dbs.target(), "_" + scenario);
      Skeleton.copy(source, target);
      assertThat(watermarks(target)).as("the dump carries the watermarks").isEqualTo(initial);
      targets.put(scenario, target);
    }
    // an aggregate made after the dump: the target lacks it
    source.execute(
        "CREATE MATERIALIZED VIEW caggs_source_only WITH (timescaledb.continuous) AS"
            + " SELECT time_bucket(20, time) AS bucket, count(*) AS n FROM t2 GROUP BY bucket"
            + " WITH NO DATA");
    for (TestDatabase side : Stream.concat(Stream.of(source), targets.values().stream()).toList()) {
      side.execute(
          "INSERT INTO t1 VALUES ('2024-01-06 19:27:30.024001+02', 1, 1)",
          "INSERT INTO t2 VALUES (30, 1, 1)");
    }
    source.execute(
        "CALL refresh_continuous_aggregate('\"caggs\"\"_T1\"', NULL, '2024-10-31 02:00:00+02')",
        "CALL refresh_continuous_aggregate('caggs_t1_2', NULL, '2024-10-31 02:00:00+02')",
        "CALL refresh_continuous_aggregate('caggs_t1_3', NULL, '2024-10-31 02:00:00+02')",
        "CALL refresh_continuous_aggregate('caggs_t2', 0, 40)",
        "CALL refresh_continuous_aggregate('caggs_source_only', 0, 40)");
    refreshed = watermarks(source);
    refreshed.remove("caggs_source_only");
    assertThat(refreshed)
        .containsEntry(T1, 1704585600000000L)
        .containsEntry("caggs_t2", 40L);
    initial.keySet().forEach(v -> assertThat(refreshed.get(v)).as(v).isGreaterThan(initial.get(v)));
  }

  private TestDatabase create(TestDatabase base, String suffix) {
    TestDatabase database = dbs.create(base.server(), base.name() + suffix);
    created.add(database);
    return database;
  }

  /** Each continuous aggregate of {@code public}'s watermark, by view name. */
  private static Map<String, Long> watermarks(TestDatabase db) {
    return db
        .rows(
            "SELECT c.user_view_name::text, w.watermark"
                + " FROM _timescaledb_catalog.continuous_agg c"
                + " JOIN _timescaledb_catalog.continuous_aggs_watermark w USING (mat_hypertable_id)"
                + " WHERE c.user_view_schema = 'public'")
        .stream()
        .collect(
            Collectors.toMap(
                r -> (String) r.get(0),
                r -> ((Number) r.get(1)).longValue(),
                (a, b) -> a,
                TreeMap::new));
  }

  private static String materialization(TestDatabase db, String view) {
    return db.string(
        "SELECT format('%I.%I', h.schema_name, h.table_name)"
            + " FROM _timescaledb_catalog.continuous_agg c"
            + " JOIN _timescaledb_catalog.hypertable h ON h.id = c.mat_hypertable_id"
            + " WHERE c.user_view_schema = 'public' AND c.user_view_name = '"
            + view.replace("'", "''") + "'");
  }
}
