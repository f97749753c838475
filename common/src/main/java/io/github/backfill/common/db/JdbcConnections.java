package io.github.backfill.common.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens PgJDBC connections (the data path: claims, COPY, verify) with the same settings as the
 * reactive client. Blocking: call only from worker threads.
 */
public final class JdbcConnections {
  private JdbcConnections() {}

  /** The driver properties equivalent to {@link ReactiveClients#connectOptions}. */
  public static Properties properties(ConnectionSettings settings) {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    settings.password().ifPresent(p -> props.setProperty("password", p));
    props.setProperty("ApplicationName", settings.applicationName());
    props.setProperty("sslmode", settings.sslMode().value());
    settings.sslRootCert().ifPresent(p -> props.setProperty("sslrootcert", p));
    settings.sslCert().ifPresent(p -> props.setProperty("sslcert", p));
    settings.sslKey().ifPresent(p -> props.setProperty("sslkey", p));
    props.setProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
    props.setProperty("tcpKeepAlive", "true");
    // COPY and long statements must not be cut by a client-side socket timeout.
    props.setProperty("socketTimeout", "0");
    return props;
  }

  /** {@code jdbc:postgresql://host:port/database}, the database name %-encoded. */
  public static String url(ConnectionSettings settings) {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    // URLEncoder writes a space as '+', which PgJDBC would decode back as '+'.
    String database =
        URLEncoder.encode(settings.database(), StandardCharsets.UTF_8).replace("+", "%20");
    return "jdbc:postgresql://" + host + ":" + settings.port() + "/" + database;
  }

  /** Opens a connection without any session settings: for statements that must come first. */
  public static Connection openBare(ConnectionSettings settings) throws SQLException {
    return DriverManager.getConnection(url(settings), properties(settings));
  }

  /** Opens a connection in auto-commit mode with {@link SessionSettings} applied. */
  public static Connection open(ConnectionSettings settings) throws SQLException {
    Connection connection = openBare(settings);
    try (Statement statement = connection.createStatement()) {
      // PgJDBC sends the JVM's time zone in the startup packet, which would win over startup
      // options; one SET after connecting applies all settings whatever the JVM's defaults.
      statement.execute(SessionSettings.setStatements());
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
