package io.github.backfill.common.testing;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.JdbcConnections;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.common.db.SqlVariants;
import io.github.backfill.common.db.TimescaleVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A {@code bf_test_*} database on one test server, with helpers to run SQL in it. */
public final class TestDatabase {
  private final TestServer server;
  private final String name;

  TestDatabase(TestServer server, String name) {
    this.server = server;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public ServerRole role() {
    return server.role();
  }

  public TestServer server() {
    return server;
  }

  /** The {@code postgres://} URL of this database, as a user would pass it to the tool. */
  public String url() {
    return server.urlOf(name);
  }

  public ConnectionSettings settings() {
    return ConnectionSettings.parse(server.role(), url());
  }

  /**
   * A new connection with the tool's session settings, named {@code backfill-tests} so that tests
   * can tell their own sessions from the tool's in {@code pg_stat_activity}.
   */
  public Connection connect() throws SQLException {
    return JdbcConnections.open(
        ConnectionSettings.parse(server.role(), url() + "&application_name=backfill-tests"));
  }

  /** Runs statements, each in its own auto-committed transaction. */
  public void execute(String... statements) {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on " + server.role() + " " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A login role of this database's server, made if missing, with {@code password}; a superuser or
   * not. Roles outlive the test databases, so a later run finds it and only sets its password.
   */
  public void loginRole(String role, String password, boolean superuser) {
    execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
            + " CREATE ROLE " + role + " LOGIN; END IF; END $$",
        "ALTER ROLE " + role + (superuser ? " SUPERUSER" : " NOSUPERUSER") + " PASSWORD '" + password
            + "'");
  }

  /** Rows of a query, each as a list of its columns' values. */
  public List<List<Object>> rows(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(result.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("on " + server.role() + " " + name + ": " + e.getMessage(), e);
    }
  }

  /** The single value of a one-row, one-column query. */
  public Object value(String sql) {
    List<List<Object>> rows = rows(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).get(0);
  }

  public long count(String sql) {
    return ((Number) value(sql)).longValue();
  }

  public String string(String sql) {
    Object value = value(sql);
    return value == null ? null : value.toString();
  }

  /** TimescaleDB's license on this server: {@code timescale} or {@code apache}. */
  public String license() {
    return string("SELECT current_setting('timescaledb.license')");
  }

  /**
   * The text of the tests' own catalog query {@code name} ({@code sql-test/NAME.sql}, or its variant
   * for this database's TimescaleDB release), so that tests read the catalog of every release alike.
   */
  public String catalogQuery(String name) {
    TimescaleVersion version =
        TimescaleVersion.parse(string("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"));
    return SqlVariants.text("sql-test", name, version);
  }
}
