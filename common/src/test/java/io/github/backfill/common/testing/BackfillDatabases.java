package io.github.backfill.common.testing;

import io.github.backfill.common.db.JdbcConnections;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh databases for one test class: {@code bf_test_<class>_<random>} on the source and on the
 * target server, each with TimescaleDB installed, dropped after the class. Register it as a static
 * field: {@code @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();}
 */
public final class BackfillDatabases implements BeforeAllCallback, AfterAllCallback {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final boolean withTimescaleDb;
  private TestDatabase source;
  private TestDatabase target;

  public BackfillDatabases() {
    this(true);
  }

  /** With {@code withTimescaleDb} false, the databases are left without the extension. */
  public BackfillDatabases(boolean withTimescaleDb) {
    this.withTimescaleDb = withTimescaleDb;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String name = databaseName(context.getRequiredTestClass().getSimpleName());
    TestServers servers = TestServers.get();
    source = create(servers.source(), name);
    target = create(servers.target(), name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    drop(source);
    drop(target);
  }

  /** Drops both databases and creates them anew, empty: for tests that each need a clean pair. */
  public void reset() {
    drop(source);
    drop(target);
    source = create(source.server(), source.name());
    target = create(target.server(), target.name());
  }

  public TestDatabase source() {
    return source;
  }

  public TestDatabase target() {
    return target;
  }

  static String databaseName(String testClass) {
    String base = testClass.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return "bf_test_" + base + "_" + Integer.toHexString(RANDOM.nextInt(0x10000000) | 0x10000000);
  }

  /** Creates {@code name} on {@code server}, with TimescaleDB unless this extension says otherwise. */
  public TestDatabase create(TestServer server, String name) {
    adminExecute(server, "CREATE DATABASE \"" + name + "\"");
    TestDatabase database = new TestDatabase(server, name);
    if (withTimescaleDb) {
      // CREATE EXTENSION timescaledb must be the first statement of its session: no session
      // settings before it.
      try (Connection connection = JdbcConnections.openBare(database.settings());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
      } catch (SQLException e) {
        throw new IllegalStateException("installing TimescaleDB in " + name + ": " + e.getMessage(), e);
      }
    }
    return database;
  }

  /** Drops a test database, disconnecting whoever still uses it. */
  public static void drop(TestDatabase database) {
    if (database != null) {
      adminExecute(database.server(), "DROP DATABASE IF EXISTS \"" + database.name() + "\" WITH (FORCE)");
    }
  }

  private static void adminExecute(TestServer server, String sql) {
    try (Connection connection = JdbcConnections.open(server.adminSettings());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(server.role() + " server: " + sql + ": " + e.getMessage(), e);
    }
  }
}
