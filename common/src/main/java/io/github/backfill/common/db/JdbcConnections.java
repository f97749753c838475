package io.github.backfill.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
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
    // PgJDBC reads a PEM key as RSA unless told otherwise; the reactive client reads any. The key's
    // algorithm is its certificate's.
    settings.sslCert().flatMap(JdbcConnections::publicKeyAlgorithm)
        .ifPresent(algorithm -> props.setProperty("pemKeyAlgorithm", algorithm));
    props.setProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
    props.setProperty("tcpKeepAlive", "true");
    // COPY and long statements must not be cut by a client-side socket timeout.
    props.setProperty("socketTimeout", "0");
    return props;
  }

  /**
   * The algorithm of the public key in the PEM or DER certificate {@code file}, such as {@code EC} or
   * {@code RSA}; empty when the file cannot be read, which the driver then reports.
   */
  static Optional<String> publicKeyAlgorithm(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Optional.of(certificate.getPublicKey().getAlgorithm());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
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
    return open(settings, null);
  }

  /**
   * As {@link #open(ConnectionSettings)}, for the worker slot {@code slot} ({@code NODE/SLOT}, or null):
   * its {@code application_name} ends with {@code " NODE/SLOT"}, so that a coordinator can end the
   * sessions of a node it lost (a frozen host still answers keepalives, so they never time out).
   */
  public static Connection open(ConnectionSettings settings, String slot) throws SQLException {
    Properties props = properties(settings);
    if (slot != null) {
      props.setProperty("ApplicationName", slotApplicationName(settings.applicationName(), slot));
    }
    Connection connection = DriverManager.getConnection(url(settings), props);
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

  /** The server keeps 63 bytes of application_name: the user's part is shortened, never the slot. */
  static String slotApplicationName(String name, String slot) {
    String suffix = " " + slot;
    int room = 63 - suffix.getBytes(StandardCharsets.UTF_8).length;
    String head = name;
    while (head.getBytes(StandardCharsets.UTF_8).length > Math.max(room, 0)) {
      head = head.substring(0, head.length() - 1);
    }
    return head + suffix;
  }
}
