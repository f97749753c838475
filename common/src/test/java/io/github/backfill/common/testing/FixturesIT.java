package io.github.backfill.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FixturesIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  @Test
  void eachClassGetsFreshTestDatabasesWithTimescaleDb() {
    for (TestDatabase db : List.of(dbs.source(), dbs.target())) {
      assertThat(db.name()).startsWith("bf_test_fixturesit_");
      assertThat(db.string("SELECT current_database()")).isEqualTo(db.name());
      assertThat(db.string("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"))
          .matches("2\\.\\d+\\.\\d+.*");
      assertThat(db.count("SELECT count(*) FROM _timescaledb_catalog.hypertable")).isZero();
      assertThat(db.license()).isIn("apache", "timescale");
    }
    assertThat(dbs.source().url()).isNotEqualTo(dbs.target().url());
  }

  @Test
  void theSkeletonGivesTheTargetTheSourcesHypertablesAndEmptyChunks() {
    TestDatabase source = dbs.source();
    TestDatabase target = dbs.target();
    source.execute(
        "CREATE TABLE metrics (time timestamptz NOT NULL, device_id text, val float8)",
        "SELECT create_hypertable('metrics', 'time')",
        "INSERT INTO metrics SELECT t, 'd' || (extract(hour from t)::int % 3), 1.5"
            + " FROM generate_series('2023-05-01'::timestamptz, '2023-05-31 23:00', '1 hour') t",
        "CREATE TABLE ints (time bigint NOT NULL, device int NOT NULL, v int)",
        "SELECT create_hypertable('ints', 'time', chunk_time_interval => 100)",
        "SELECT add_dimension('ints', 'device', number_partitions => 3)",
        "INSERT INTO ints SELECT t, t % 7, t FROM generate_series(0, 299) t",
        "CREATE TABLE plain (id int PRIMARY KEY, name text)",
        "INSERT INTO plain VALUES (1, 'one')");

    Skeleton.copy(source, target);

    String chunks =
        "SELECT hypertable_name, range_start, range_end FROM (" + source.catalogQuery("chunk_slices")
            + ") s ORDER BY 1, 2, 3";
    assertThat(source.count("SELECT count(*) FROM metrics")).isEqualTo(744);
    assertThat(source.count("SELECT count(*) FROM show_chunks('metrics')")).isEqualTo(5);
    assertThat(source.count("SELECT count(*) FROM show_chunks('ints')")).isEqualTo(9);
    assertThat(target.rows(chunks)).isEqualTo(source.rows(chunks));
    assertThat(target.count("SELECT count(*) FROM timescaledb_information.hypertables")).isEqualTo(2);
    assertThat(target.count("SELECT count(*) FROM metrics")).isZero();
    assertThat(target.count("SELECT count(*) FROM ints")).isZero();
    assertThat(target.count("SELECT count(*) FROM plain")).isEqualTo(1);
    // The restore left TimescaleDB out of restoring mode.
    assertThat(target.string("SHOW timescaledb.restoring")).isEqualTo("off");
    target.execute("INSERT INTO metrics VALUES ('2023-06-15', 'x', 1)");
    assertThat(target.count("SELECT count(*) FROM show_chunks('metrics')")).isEqualTo(6);
  }
}
