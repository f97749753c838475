package io.github.backfill.common.testing;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.JdbcConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Turns TLS on for one local test server at run time and back off afterwards, without a restart:
 * test-made certificates are written into the server's data directory (inside the chroot of
 * {@code scripts/timescaledb}), then {@code ALTER SYSTEM SET ssl ...} and {@code pg_reload_conf()}.
 * {@link #restore()} resets the settings, reloads and removes the files, so that the server is as
 * other tests expect it: without TLS.
 */
public final class ServerTls {
  /** File names in the data directory; the prefix says who wrote them. */
  private static final String PREFIX = "bf_test_tls_";

  private final TestServer server;
  private final Path hostDataDir;
  private final String dataDir;
  /** pg_hba.conf as it was before {@link #requireClientCertificate}, or null. */
  private String originalHba;

  private ServerTls(TestServer server, Path hostDataDir, String dataDir) {
    this.server = server;
    this.hostDataDir = hostDataDir;
    this.dataDir = dataDir;
  }

  /**
   * The TLS switch of {@code server}, or an aborted test (skipped, with the reason on stderr) when
   * the server is not one of the local servers this process may write files for.
   */
  public static ServerTls of(TestServer server) {
    boolean root =
        "0".equals(Processes.run(List.of("id", "-u"), null, null).stdout().strip());
    Optional<String> dataDir = Optional.empty();
    if (root && TestServers.get().kind() == TestServers.Kind.LOCAL) {
      dataDir = Optional.of(show(server.adminSettings(), "data_directory"));
    }
    Path hostDataDir =
        dataDir.map(d -> Flavor.current().chroot().resolve(d.substring(1))).orElse(null);
    if (hostDataDir == null || !Files.isDirectory(hostDataDir.resolve("global"))) {
      String reason =
          "SKIPPED: the TLS tests need root and the local servers of scripts/timescaledb"
              + " (they install a certificate into the server's data directory)";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    return new ServerTls(server, hostDataDir, dataDir.orElseThrow());
  }

  /**
   * Installs {@code certificate} (PEM, with {@code key}) as the server's certificate and turns TLS
   * on; returns once new sessions are served with it.
   */
  public void enable(String name, Path certificate, Path key) {
    String cert = PREFIX + name + ".crt";
    String keyFile = PREFIX + name + ".key";
    try {
      install(certificate, cert, "rw-r--r--");
      install(key, keyFile, "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String certPath = dataDir + "/" + cert;
    admin(
        "ALTER SYSTEM SET ssl = on",
        "ALTER SYSTEM SET ssl_cert_file = '" + certPath + "'",
        "ALTER SYSTEM SET ssl_key_file = '" + dataDir + "/" + keyFile + "'",
        "SELECT pg_reload_conf()");
    awaitSettings(Map.of("ssl", "on", "ssl_cert_file", certPath));
  }

  /**
   * Makes {@code user} log in with a client certificate signed by {@code authority} and nothing else
   * (a {@code hostssl ... cert} line for that user alone, first in pg_hba.conf); other users are
   * untouched. Needs TLS on ({@link #enable}).
   */
  public void requireClientCertificate(String user, Path authority) {
    String ca = PREFIX + "client_ca.crt";
    try {
      install(authority, ca, "rw-r--r--");
      Path hba = hbaFile();
      if (originalHba == null) {
        originalHba = Files.readString(hba);
      }
      Files.writeString(hba, "hostssl all " + user + " 127.0.0.1/32 cert\n" + originalHba);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String caPath = dataDir + "/" + ca;
    // pg_hba.conf is reloaded with the settings: once new sessions see ssl_ca_file, it is in force.
    admin("ALTER SYSTEM SET ssl_ca_file = '" + caPath + "'", "SELECT pg_reload_conf()");
    awaitSettings(Map.of("ssl_ca_file", caPath));
  }

  /** Turns TLS off again and removes the files: the server as the rest of the suite expects it. */
  public void restore() {
    if (originalHba != null) {
      try {
        Files.writeString(hbaFile(), originalHba);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      originalHba = null;
    }
    admin(
        "ALTER SYSTEM RESET ssl",
        "ALTER SYSTEM RESET ssl_cert_file",
        "ALTER SYSTEM RESET ssl_key_file",
        "ALTER SYSTEM RESET ssl_ca_file",
        "SELECT pg_reload_conf()");
    awaitSettings(Map.of("ssl", "off", "ssl_ca_file", ""));
    try (var files = Files.list(hostDataDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** pg_hba.conf, as seen from here: the server's path, inside the chroot the data directory is in. */
  private Path hbaFile() {
    Path hba = Path.of(show(server.adminSettings(), "hba_file"));
    Path chroot = hostDataDir;
    for (int i = Path.of(dataDir).getNameCount(); i > 0; i--) {
      chroot = chroot.getParent();
    }
    return chroot.resolve(hba.toString().substring(1));
  }

  private void install(Path from, String name, String permissions) throws IOException {
    Path to = hostDataDir.resolve(name);
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    // The server runs as the chroot's postgres user and refuses a key others may read.
    Files.setAttribute(to, "unix:uid", Files.getAttribute(hostDataDir, "unix:uid"));
    Files.setAttribute(to, "unix:gid", Files.getAttribute(hostDataDir, "unix:gid"));
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(permissions));
  }

  private void admin(String... statements) {
    try (Connection connection = JdbcConnections.open(plain(server.adminSettings()));
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * pg_reload_conf() only signals the postmaster: new sessions see the new settings once it has
   * read them. Polls new sessions until they do (the wait ends on the condition, not on a clock).
   */
  private void awaitSettings(Map<String, String> expected) {
    for (int attempt = 0; attempt < 600; attempt++) {
      boolean all = true;
      for (var setting : expected.entrySet()) {
        all &= setting.getValue().equals(show(plain(server.adminSettings()), setting.getKey()));
      }
      if (all) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("the server did not take " + expected + " after a reload");
  }

  /** The admin login without TLS: works whether or not the server has it on. */
  private static ConnectionSettings plain(ConnectionSettings settings) {
    return ConnectionSettings.parse(
        settings.role(),
        TestUrls.url(
                settings.user(),
                settings.password().orElse(null),
                settings.host(),
                settings.port(),
                settings.database())
            + "?sslmode=disable&application_name=backfill-tests");
  }

  private static String show(ConnectionSettings settings, String name) {
    try (Connection connection = JdbcConnections.open(plain(settings));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT current_setting('" + name + "')")) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
