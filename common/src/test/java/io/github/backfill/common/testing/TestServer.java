package io.github.backfill.common.testing;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;

/**
 * One server the suite may create {@code bf_test_*} databases on.
 *
 * @param adminUrl a URL of a database on it from which to create and drop test databases
 * @param tools how to run PostgreSQL 17's {@code pg_dump} and {@code psql} against it
 */
public record TestServer(ServerRole role, String adminUrl, PgTools tools) {
  public ConnectionSettings adminSettings() {
    return ConnectionSettings.parse(role, adminUrl);
  }

  public String urlOf(String database) {
    return TestUrls.withDatabase(adminSettings(), database);
  }
}
