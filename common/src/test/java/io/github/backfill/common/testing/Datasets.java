package io.github.backfill.common.testing;

/** The sample data of the original tool's tests, made on a test database. */
public final class Datasets {
  private Datasets() {}

  /**
   * {@code metrics(time timestamptz, device_id text, val float8)} with TimescaleDB's default 7-day
   * chunks: May 2023 hourly, 744 rows in 5 chunks.
   */
  public static void metrics(TestDatabase db) {
    db.execute(
        "CREATE TABLE metrics (time timestamptz NOT NULL, device_id text, val float8)",
        "SELECT create_hypertable('metrics', 'time')");
    hourly(db, "metrics", "2023-05-01", "2023-05-31 23:00");
  }

  /** Hourly rows into {@code metrics}-shaped {@code table} from {@code first} to {@code last}. */
  public static void hourly(TestDatabase db, String table, String first, String last) {
    db.execute(
        "INSERT INTO " + table + " SELECT t, 'dev' || (extract(hour from t)::int % 4), extract(day from t)"
            + " FROM generate_series('" + first + "'::timestamptz, '" + last + "', '1 hour') t");
  }
}
