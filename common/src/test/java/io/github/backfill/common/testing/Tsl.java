package io.github.backfill.common.testing;

/**
 * Compression and continuous aggregates are TimescaleDB's TSL features, absent from the Apache
 * edition that Debian ships. Tests of them call {@link #assumeAvailable} and are skipped, visibly,
 * where the servers lack them.
 */
public final class Tsl {
  private Tsl() {}

  public static void assumeAvailable(TestDatabase... databases) {
    for (TestDatabase database : databases) {
      String license = database.license();
      if (!"timescale".equals(license)) {
        CatalogFeatures.skip(
            "needs TimescaleDB's TSL license (compression, continuous aggregates); the "
                + database.role()
                + " server has timescaledb.license = '"
                + license
                + "'. Point BACKFILL_TEST_SOURCE_URL/BACKFILL_TEST_TARGET_URL at servers with it.");
      }
    }
  }
}
