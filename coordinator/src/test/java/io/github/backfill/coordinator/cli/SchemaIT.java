package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.Tsl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code schema}, then the whole runbook from an empty target (the extension only). The suite runs
 * this class on each flavour (the same release on both sides) and once more from the pg17 flavour's
 * source (TimescaleDB 2.19, PostgreSQL 17) to the pg18 flavour's target (the newest Debian
 * TimescaleDB, PostgreSQL 18): the upgrade while migrating. The TSL cases (compression, continuous
 * aggregates) run by hand across versions (docs/compatibility.md) and skip visibly elsewhere.
 */
class SchemaIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private TestDatabase source;
  private TestDatabase target;

  /** What the target must end with as the source has it: dimensions, indexes, constraints. */
  private static final String DIMENSIONS =
      "SELECT hypertable_schema, hypertable_name, dimension_number, column_name, column_type::text,"
          + " dimension_type, time_interval, integer_interval, integer_now_func, num_partitions"
          + " FROM timescaledb_information.dimensions WHERE hypertable_schema NOT LIKE '\\_timescaledb%'";
  private static final String INDEXES =
      "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes"
          + " WHERE schemaname IN ('app', 'public')";
  /** PostgreSQL 18 keeps NOT NULL in pg_constraint too (contype 'n'): columns' not_null covers it. */
  private static final String CONSTRAINTS =
      "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
          + " WHERE connamespace IN ('app'::regnamespace, 'public'::regnamespace) AND contype <> 'n'";

  @BeforeEach
  void fresh() {
    dbs.reset();
    source = dbs.source();
    target = dbs.target();
    source.execute(
        "CREATE SCHEMA app",
        "CREATE TYPE app.level AS ENUM ('low', 'high')",
        "CREATE TABLE app.devices (id int PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE app.metrics (time timestamptz NOT NULL, device_id int NOT NULL REFERENCES app.devices (id),"
            + " lvl app.level, value double precision, id bigserial, UNIQUE (time, device_id, id))",
        "SELECT create_hypertable('app.metrics', 'time', chunk_time_interval => interval '1 day')",
        "SELECT add_dimension('app.metrics', 'device_id', number_partitions => 3)",
        "CREATE INDEX metrics_by_device ON app.metrics (device_id, time DESC)",
        "CREATE TABLE public.ticks (ts bigint NOT NULL, v int CHECK (v >= 0))",
        "SELECT create_hypertable('public.ticks', 'ts', chunk_time_interval => 1000)",
        "CREATE FUNCTION public.ticks_now() RETURNS bigint LANGUAGE sql STABLE"
            + " AS $$ SELECT coalesce(max(ts), 0) FROM public.ticks $$",
        "SELECT set_integer_now_func('public.ticks', 'public.ticks_now')",
        "CREATE VIEW app.latest AS SELECT device_id, max(time) AS time FROM app.metrics GROUP BY 1",
        "INSERT INTO app.devices VALUES (1, 'one'), (2, 'two'), (3, 'three')",
        "INSERT INTO app.metrics (time, device_id, lvl, value)"
            + " SELECT t, 1 + (extract(epoch FROM t)::int / 60) % 3, 'low', extract(epoch FROM t) / 1e6"
            + " FROM generate_series('2024-01-01'::timestamptz, '2024-01-05 11:59', '1 minute') t",
        "INSERT INTO public.ticks SELECT g, g % 7 FROM generate_series(1, 4999) g");
  }

  @Test
  void theRunbookFromAnEmptyTarget() {
    CliRun schema = CliRun.between(source, target, "schema");

    assertThat(schema.exitCode()).as(schema.stderr()).isZero();
    assertThat(schema.stdout())
        .startsWith(Version.banner() + "\n"
            + "Created table \"app\".\"devices\"\n"
            + "Created hypertable \"app\".\"metrics\"\n"
            + "Created hypertable \"public\".\"ticks\"\n"
            + "Created 3 objects on the target; the plain schema came from pg_dump ");
    assertThat(schema.stderr()).isEmpty();
    Rows.assertSame(source, target, DIMENSIONS);
    Rows.assertSame(source, target, INDEXES);
    Rows.assertSame(source, target, CONSTRAINTS);
    assertThat(target.string("SELECT pg_get_viewdef('app.latest')")).isEqualTo(source.string("SELECT pg_get_viewdef('app.latest')"));
    assertThat(target.string("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"
        + " WHERE enumtypid = 'app.level'::regtype")).isEqualTo("low,high");
    assertThat(target.count("SELECT count(*) FROM app.metrics")).isZero();

    // The plain table's rows travel as the runbook says (pg_dump --data-only, here by hand), the
    // hypertables' by backfill; from --until on, an application writes into both sides.
    target.execute("INSERT INTO app.devices VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    String dualWrite = "INSERT INTO app.metrics (time, device_id, lvl, value, id)"
        + " SELECT t, 2, 'high', -1, 100000 + extract(minute FROM t) FROM generate_series('2024-01-05 12:00'::timestamptz,"
        + " '2024-01-05 12:30', '1 minute') t";
    source.execute(dualWrite);
    target.execute(dualWrite);
    assertThat(CliRun.between(source, target, "stage", "--until", "2024-01-05 12:00", "--filter", "metrics").exitCode()).isZero();
    assertThat(CliRun.between(source, target, "stage", "--until", "4000", "--filter", "ticks").exitCode()).isZero();
    CliRun copy = CliRun.between(source, target, "copy");
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    CliRun verify = CliRun.between(source, target, "verify");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    CliRun refresh = CliRun.between(source, target, "refresh-caggs");
    assertThat(refresh.exitCode()).as(refresh.stderr()).isZero();
    assertThat(refresh.stdout().lines().toList())
        .containsExactly(Version.banner(), "No continuous aggregates to refresh", "Refreshed continuous aggregates");

    Rows.assertSame(source, target, "SELECT * FROM app.metrics");
    assertThat(target.count("SELECT count(*) FROM app.metrics")).isEqualTo(4 * 1440 + 720 + 31);
    Rows.assertSame(source, target, "SELECT * FROM public.ticks WHERE ts < 4000");
    assertThat(target.count("SELECT count(*) FROM public.ticks")).isEqualTo(3999);
    Rows.assertSame(source, target,
        "SELECT range_start, range_end, range_start_integer, range_end_integer FROM timescaledb_information.chunks"
            + " WHERE hypertable_name = 'metrics'");

    CliRun again = CliRun.between(source, target, "schema");
    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout()).isEqualTo(Version.banner() + "\nNothing to create: the target already has"
        + " the 3 selected tables, hypertables and continuous aggregates, in the source's shape.\n");
  }

  @Test
  void aFilterCreatesWhatItSelectsAndALaterRunTheRest() {
    CliRun ticks = CliRun.between(source, target, "schema", "--filter", "^public\\.ticks$");

    assertThat(ticks.exitCode()).as(ticks.stderr()).isZero();
    assertThat(ticks.stdout()).contains("Created hypertable \"public\".\"ticks\"\nCreated 1 object on the target;");
    assertThat(target.count("SELECT count(*) FROM pg_class WHERE relname IN ('metrics', 'devices', 'latest')")).isZero();
    // Types and functions come with the first run, whatever the filter.
    assertThat(target.count("SELECT count(*) FROM pg_type WHERE typname = 'level'")).isEqualTo(1);

    CliRun rest = CliRun.between(source, target, "schema");

    assertThat(rest.exitCode()).as(rest.stderr()).isZero();
    assertThat(rest.stdout())
        .contains("Created table \"app\".\"devices\"\nCreated hypertable \"app\".\"metrics\"\n"
            + "Created 2 objects on the target (1 was there already);");
    Rows.assertSame(source, target, DIMENSIONS);
    Rows.assertSame(source, target, CONSTRAINTS);
    Rows.assertSame(source, target, INDEXES.replace("IN ('app', 'public')", "= 'app'"));
  }

  @Test
  void anObjectOfAnotherShapeIsRefusedWithNothingWritten() {
    target.execute(
        "CREATE SCHEMA app",
        "CREATE TABLE app.metrics (time timestamptz NOT NULL, device_id int NOT NULL)",
        "CREATE TABLE public.ticks (ts bigint NOT NULL, v int)");

    CliRun run = CliRun.between(source, target, "schema");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo("Error: the target has 2 of the selected objects in another shape than the source:\n"
            + "- \"app\".\"metrics\" is a hypertable on the source and a table on the target\n"
            + "- \"public\".\"ticks\" is a hypertable on the source and a table on the target\n"
            + "Nothing was written. Drop or rename them on the target (or leave them out with --filter),"
            + " then run schema again.\n");
    assertThat(target.count("SELECT count(*) FROM pg_class WHERE relname = 'devices'")).isZero();

    target.execute("DROP TABLE public.ticks", "DROP TABLE app.metrics",
        "CREATE TABLE app.metrics (time timestamptz NOT NULL, device_id int NOT NULL)",
        "SELECT create_hypertable('app.metrics', 'time')");
    CliRun columns = CliRun.between(source, target, "schema", "--filter", "metrics");
    assertThat(columns.exitCode()).isEqualTo(2);
    assertThat(columns.stderr())
        .startsWith("Error: the target has 1 of the selected objects in another shape than the source:\n"
            + "- hypertable \"app\".\"metrics\" has other columns on the target:\n"
            + "    * source columns: time timestamp with time zone (pg_catalog.timestamptz), device_id"
            + " integer (pg_catalog.int4), lvl app.level (app.level), value double precision"
            + " (pg_catalog.float8), id bigint (pg_catalog.int8)\n"
            + "    * target columns: time timestamp with time zone (pg_catalog.timestamptz), device_id"
            + " integer (pg_catalog.int4)\n");
  }

  @Test
  void anExistingObjectOfTheDumpIsAnExit2ErrorAndTheTransactionRollsBack() {
    // The target has none of the tables but a type of the same name: the dump's CREATE TYPE fails,
    // and nothing of what ran before it stays.
    target.execute("CREATE SCHEMA app", "CREATE TYPE app.level AS ENUM ('other')");

    CliRun run = CliRun.between(source, target, "schema");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith("Error: the target has an object of that name already, creating ")
        .contains("already exists. Nothing was written.");
    assertThat(target.count("SELECT count(*) FROM pg_class WHERE relname IN ('devices', 'metrics', 'ticks')")).isZero();
    assertThat(target.count("SELECT count(*) FROM pg_proc WHERE proname = 'ticks_now'")).isZero();
  }

  @Test
  void anInvalidFilterIsAnExit2Error() {
    CliRun run = CliRun.between(source, target, "schema", "--filter", "metrics(");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("Error: filter argument 'metrics(' is not a valid regular expression: ");
    assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
  }

  @Test
  void compressionAndAContinuousAggregateHierarchy() {
    Tsl.assumeAvailable(source, target);
    source.execute(
        "ALTER TABLE app.metrics SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id',"
            + " timescaledb.compress_orderby = 'time DESC')",
        "SELECT compress_chunk(c) FROM show_chunks('app.metrics', older_than => '2024-01-03'::timestamptz) c",
        // A partial chunk: compressed, then written to.
        "INSERT INTO app.metrics (time, device_id, lvl, value) VALUES ('2024-01-01 00:00:30', 1, 'high', 7)",
        "CREATE MATERIALIZED VIEW app.metrics_hourly WITH (timescaledb.continuous, timescaledb.materialized_only = true)"
            + " AS SELECT time_bucket('1 hour', time) AS bucket, device_id, avg(value) AS avg_value, count(*) AS n"
            + " FROM app.metrics GROUP BY 1, 2 WITH NO DATA",
        "CREATE MATERIALIZED VIEW app.metrics_daily WITH (timescaledb.continuous, timescaledb.materialized_only = false)"
            + " AS SELECT time_bucket('1 day', bucket) AS day, device_id, sum(n) AS n"
            + " FROM app.metrics_hourly GROUP BY 1, 2 WITH NO DATA",
        "CREATE INDEX ON app.metrics_hourly (device_id, n)",
        "CALL refresh_continuous_aggregate('app.metrics_hourly', NULL, '2024-01-05')",
        "CALL refresh_continuous_aggregate('app.metrics_daily', NULL, '2024-01-05')");

    CliRun schema = CliRun.between(source, target, "schema");

    assertThat(schema.exitCode()).as(schema.stderr()).isZero();
    assertThat(schema.stdout())
        .contains("Created hypertable \"public\".\"ticks\"\n"
            + "Created continuous aggregate \"app\".\"metrics_hourly\"\n"
            + "Created continuous aggregate \"app\".\"metrics_daily\"\n"
            + "Created 5 objects on the target;");
    String settings = "SELECT hypertable::text, segmentby, orderby FROM timescaledb_information.hypertable_compression_settings"
        + " WHERE hypertable::text = 'app.metrics'";
    assertThat(target.rows(settings)).isEqualTo(source.rows(settings));
    String caggs = "SELECT view_schema, view_name, materialized_only, view_definition"
        + " FROM timescaledb_information.continuous_aggregates";
    Rows.assertSame(source, target, caggs);
    // The aggregate's indexes, the user's own among them, by definition (the materialization
    // hypertables' names differ between the sides).
    String indexes = "SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.*? USING ', '') FROM pg_index"
        + " WHERE indrelid = (SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)"
        + " FROM timescaledb_information.continuous_aggregates WHERE view_name = 'metrics_hourly')::regclass";
    Rows.assertSame(source, target, indexes);
    assertThat(target.count("SELECT count(*) FROM (" + indexes + ") i")).isEqualTo(3);

    target.execute("INSERT INTO app.devices VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    assertThat(CliRun.between(source, target, "stage", "--until", "2024-01-06", "--filter", "metrics").exitCode()).isZero();
    CliRun copy = CliRun.between(source, target, "copy");
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    CliRun verify = CliRun.between(source, target, "verify");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    CliRun refresh = CliRun.between(source, target, "refresh-caggs", "--filter", "metrics_");
    assertThat(refresh.exitCode()).as(refresh.stderr()).isZero();

    Rows.assertSame(source, target, "SELECT * FROM app.metrics");
    // Across releases the target compresses the copied chunks itself, and refresh-caggs may
    // re-materialize their buckets there: a float average summed in another row order can differ
    // in its last bits.
    Rows.assertSame(source, target, "SELECT bucket, device_id, round(avg_value::numeric, 9), n FROM app.metrics_hourly");
    Rows.assertSame(source, target, "SELECT * FROM app.metrics_daily");
    String compressed = "SELECT chunk_name, is_compressed FROM timescaledb_information.chunks WHERE hypertable_name = 'metrics'";
    assertThat(target.count("SELECT count(*) FROM (" + compressed + ") c WHERE is_compressed"))
        .isEqualTo(source.count("SELECT count(*) FROM (" + compressed + ") c WHERE is_compressed"))
        .isPositive();
  }
}
