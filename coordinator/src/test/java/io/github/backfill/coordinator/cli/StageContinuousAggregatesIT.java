package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.Tsl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Filters and cascades over continuous aggregates: the task counts of the original's tests (SPEC
 * 3.2). Needs TimescaleDB's TSL license; skipped, with the reason printed, elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageContinuousAggregatesIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private TestDatabase source;
  private TestDatabase target;

  @BeforeAll
  void dataset() {
    source = dbs.source();
    target = dbs.target();
    Tsl.assumeAvailable(source, target);
    // metrics (5 chunks) -> cagg, cagg2; cagg -> hcagg, hcagg2; other.metrics (5) -> other.cagg ->
    // other.hcagg. Each aggregate holds one chunk.
    Datasets.metrics(source);
    source.execute("CREATE SCHEMA other", "CREATE TABLE other.metrics (LIKE public.metrics)",
        "SELECT create_hypertable('other.metrics', 'time')");
    Datasets.hourly(source, "other.metrics", "2023-05-01", "2023-05-31 23:00");
    for (String schema : List.of("public", "other")) {
      source.execute(
          "CREATE MATERIALIZED VIEW " + schema + ".cagg WITH (timescaledb.continuous) AS SELECT"
              + " time_bucket('1 day', time) AS bucket, device_id, avg(val) AS val FROM " + schema
              + ".metrics GROUP BY 1, 2 WITH NO DATA",
          "CALL refresh_continuous_aggregate('" + schema + ".cagg', NULL, NULL)",
          "CREATE MATERIALIZED VIEW " + schema + ".hcagg WITH (timescaledb.continuous) AS SELECT"
              + " time_bucket('1 week', bucket) AS week, device_id, max(val) AS val FROM " + schema
              + ".cagg GROUP BY 1, 2 WITH NO DATA",
          "CALL refresh_continuous_aggregate('" + schema + ".hcagg', NULL, NULL)");
    }
    source.execute(
        "CREATE MATERIALIZED VIEW public.cagg2 WITH (timescaledb.continuous) AS SELECT"
            + " time_bucket('1 hour', time) AS bucket, count(*) AS n FROM public.metrics GROUP BY 1"
            + " WITH NO DATA",
        "CALL refresh_continuous_aggregate('public.cagg2', NULL, NULL)",
        "CREATE MATERIALIZED VIEW public.hcagg2 WITH (timescaledb.continuous) AS SELECT"
            + " time_bucket('1 week', bucket) AS week, min(val) AS val FROM public.cagg GROUP BY 1"
            + " WITH NO DATA",
        "CALL refresh_continuous_aggregate('public.hcagg2', NULL, NULL)");
    Skeleton.copy(source, target);
  }

  @BeforeEach
  void noTasks() {
    target.execute("DROP SCHEMA IF EXISTS __backfill CASCADE");
  }

  @ParameterizedTest(name = "{0} {1} -> {2} tasks")
  @CsvSource(
      delimiter = ';',
      value = {
        "^public\\.metrics$;none;5",
        "^(public|other)\\.metrics$;none;10",
        "^public\\.cagg$;none;1",
        "^(public|other)\\.cagg$;none;2",
        "^other\\..*$;none;7",
        "^public\\.metrics$;up;9",
        "^public\\.cagg$;up;3",
        "^public\\.cagg$;down;6",
        "^public\\.cagg$;up+down;8",
        "^public\\.hcagg$;down;7",
        "^(public|other)\\.hcagg$;down;14",
        "^other\\.hcagg$;up;1"
      })
  void filtersAndCascadesStageTheOriginalsTaskCounts(String filter, String cascade, int tasks) {
    List<String> args = new ArrayList<>(List.of("stage", "--source", source.url(), "--target", target.url(),
        "--until", "2023-07-01", "--filter", filter));
    if (cascade.contains("up")) {
      args.add("--cascade-up");
    }
    if (cascade.contains("down")) {
      args.add("--cascade-down");
    }

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Staged " + tasks + " chunks to copy.");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(tasks);
  }
}
