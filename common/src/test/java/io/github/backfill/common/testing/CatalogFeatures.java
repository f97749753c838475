package io.github.backfill.common.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests of what only some TimescaleDB releases have skip, visibly and with the reason, on the others:
 * the test asks the catalog itself whether the feature is there.
 */
public final class CatalogFeatures {
  private CatalogFeatures() {}

  /** Skips the test unless {@code table} has {@code column} in {@code database}. */
  public static void assumeColumn(TestDatabase database, String table, String column, String whyNot) {
    long present =
        database.count(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('" + table + "')"
                + " AND attname = '" + column + "' AND NOT attisdropped");
    if (present == 0) {
      skip(whyNot + " (" + table + "." + column + " is absent)");
    }
  }

  /** Skips the test unless {@code condition}, a boolean query, holds in {@code database}. */
  public static void assume(TestDatabase database, String condition, String whyNot) {
    if (!Boolean.parseBoolean(database.string(condition))) {
      skip(whyNot);
    }
  }

  /** Skips the test, printing {@code SKIPPED:} and the reason on stderr for the run's log. */
  static void skip(String reason) {
    String line = "SKIPPED: " + reason;
    System.err.println(line);
    Assumptions.abort(line);
  }
}
