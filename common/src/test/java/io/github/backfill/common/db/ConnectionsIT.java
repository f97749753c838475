package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Both clients log in with SCRAM-SHA-256 and run with the tool's session settings. */
class ConnectionsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final String SETTINGS =
      "SELECT name, setting || coalesce(unit, '') AS value FROM pg_settings WHERE name IN ("
          + "'TimeZone', 'DateStyle', 'statement_timeout', 'lock_timeout',"
          + " 'idle_in_transaction_session_timeout', 'tcp_keepalives_idle',"
          + " 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout', 'application_name')"
          + " ORDER BY name";

  private static final Map<String, String> EXPECTED =
      new LinkedHashMap<>(
          Map.of(
              "DateStyle", "ISO, MDY",
              "TimeZone", "UTC",
              "application_name", "timescaledb-backfill",
              "idle_in_transaction_session_timeout", "600000ms",
              "lock_timeout", "60000ms",
              "statement_timeout", "0ms",
              "tcp_keepalives_count", "4",
              "tcp_keepalives_idle", "10s",
              "tcp_keepalives_interval", "5s",
              "tcp_user_timeout", "30000ms"));

  @Test
  void jdbcSessionsRunWithTheToolsSettings() throws Exception {
    Map<String, String> actual = new LinkedHashMap<>();
    try (Connection connection = JdbcConnections.open(dbs.source().settings());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(SETTINGS)) {
      while (rows.next()) {
        actual.put(rows.getString(1), rows.getString(2));
      }
    }
    assertThat(actual).isEqualTo(EXPECTED);
  }

  @Test
  void reactiveSessionsRunWithTheToolsSettings() throws Exception {
    Pool pool = ReactiveClients.pool(vertx, dbs.target().settings(), 1);
    try {
      Map<String, String> actual = new LinkedHashMap<>();
      for (Row row :
          pool.query(SETTINGS).execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
        actual.put(row.getString(0), row.getString(1));
      }
      assertThat(actual).isEqualTo(EXPECTED);
    } finally {
      pool.close();
    }
  }

  @Test
  void theLocalServersRequireScram() {
    // A password login that works proves SCRAM where pg_hba demands it; the method is the server's.
    assertThat(
            dbs.source()
                .string("SELECT current_setting('password_encryption')"))
        .isEqualTo("scram-sha-256");
    assertThat(
            dbs.source()
                .string(
                    "SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = current_user"))
        .isEqualTo("SCRAM-SHA-256");
  }

  @Test
  void keyValueAndUrlFormsReachTheSameDatabase() throws Exception {
    ConnectionSettings url = dbs.source().settings();
    String keyValue =
        "host="
            + url.host()
            + " port="
            + url.port()
            + " dbname='"
            + url.database()
            + "' user="
            + url.user()
            + " password='"
            + url.password().orElseThrow().replace("\\", "\\\\").replace("'", "\\'")
            + "' application_name=kv-test";
    ConnectionSettings kv = ConnectionSettings.parse(ServerRole.SOURCE, keyValue);
    try (Connection connection = JdbcConnections.open(kv);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT current_database(), current_setting('application_name')")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(dbs.source().name());
      assertThat(rows.getString(2)).isEqualTo("kv-test");
    }
  }
}
