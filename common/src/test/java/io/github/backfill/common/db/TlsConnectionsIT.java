package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.testing.ServerTls;
import io.github.backfill.common.testing.TestCertificates;
import io.github.backfill.common.testing.TestServer;
import io.github.backfill.common.testing.TestServers;
import io.github.backfill.common.testing.TestUrls;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both clients (PgJDBC for the data path, the reactive client for the control plane) against a
 * server with TLS on and a test-made certificate: each sslmode encrypts, or not, and verifies, or
 * not, as libpq's does, as the server itself reports in {@code pg_stat_ssl}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsConnectionsIT {
  private static final String ENCRYPTED = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

  private TestServer server;
  private ServerTls tls;
  private TestCertificates.Issued authority;
  private TestCertificates.Issued otherAuthority;
  private TestCertificates certs;
  private TestCertificates.Issued good;
  private TestCertificates.Issued wrongName;
  private Vertx vertx;

  @BeforeAll
  void tlsOn() throws Exception {
    server = TestServers.get().target();
    tls = ServerTls.of(server);
    certs = new TestCertificates(Files.createTempDirectory("bf-tls"));
    authority = certs.authority("test-ca");
    otherAuthority = certs.authority("other-ca");
    good =
        certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1", authority);
    wrongName = certs.issue("wrong-name", "db.example.com", "DNS:db.example.com", authority);
    tls.enable("server", good.certificate(), good.key());
    vertx = Vertx.vertx();
  }

  @AfterAll
  void tlsOff() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (tls != null) {
      tls.restore();
    }
  }

  private ConnectionSettings settings(String sslmode, Path rootCert) {
    ConnectionSettings admin = server.adminSettings();
    String url =
        TestUrls.url(admin.user(), admin.password().orElse(null), admin.host(), admin.port(), admin.database())
            + "?sslmode=" + sslmode
            + (rootCert == null ? "" : "&sslrootcert=" + rootCert);
    return ConnectionSettings.parse(ServerRole.TARGET, url);
  }

  private static boolean jdbcEncrypted(ConnectionSettings settings) throws Exception {
    try (Connection connection = JdbcConnections.open(settings);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(ENCRYPTED)) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  private boolean reactiveEncrypted(ConnectionSettings settings) throws Exception {
    Pool pool = ReactiveClients.pool(vertx, settings, 1);
    try {
      return Preflight.probe(pool, settings)
          .compose(info -> pool.query(ENCRYPTED).execute())
          .map(rows -> rows.iterator().next().getBoolean(0))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } finally {
      pool.close();
    }
  }

  /** allow tries without TLS first and the server accepts that; prefer and above encrypt. */
  @ParameterizedTest
  @CsvSource({
    "disable, false, false",
    "allow, false, false",
    "prefer, false, true",
    "require, false, true",
    "verify-ca, true, true",
    "verify-full, true, true"
  })
  void eachSslModeEncryptsAsLibpqDoes(String sslmode, boolean withRootCert, boolean encrypted)
      throws Exception {
    ConnectionSettings settings = settings(sslmode, withRootCert ? authority.certificate() : null);
    assertThat(jdbcEncrypted(settings)).as("PgJDBC, sslmode=" + sslmode).isEqualTo(encrypted);
    assertThat(reactiveEncrypted(settings)).as("reactive, sslmode=" + sslmode).isEqualTo(encrypted);
  }

  @Test
  void requireDoesNotVerifyEvenWithAnUntrustedRootCertificate() throws Exception {
    // PgJDBC's meaning, which both clients follow: only verify-ca and verify-full check.
    ConnectionSettings settings = settings("require", otherAuthority.certificate());
    assertThat(jdbcEncrypted(settings)).isTrue();
    assertThat(reactiveEncrypted(settings)).isTrue();
  }

  @Test
  void verifyCaRefusesACertificateFromAnotherAuthority() {
    ConnectionSettings settings = settings("verify-ca", otherAuthority.certificate());
    assertThatThrownBy(() -> jdbcEncrypted(settings))
        .satisfies(
            e ->
                assertThat(DbErrors.translate(settings, "connecting", e))
                    .hasMessageStartingWith(
                        "the TLS certificate of the target server 127.0.0.1:" + settings.port()
                            + " is not accepted under sslmode=verify-ca")
                    .hasMessageContaining("(unable to find valid certification path to requested target)"));
    assertThatThrownBy(() -> reactiveEncrypted(settings))
        .isInstanceOf(BackfillException.class)
        .hasMessageStartingWith(
            "the TLS certificate of the target server 127.0.0.1:" + settings.port()
                + " is not accepted under sslmode=verify-ca")
        .hasMessageEndingWith("Check sslrootcert in --target.")
        .satisfies(e -> assertThat(((BackfillException) e).exitCode()).isEqualTo(ExitCode.FAILED));
  }

  @Test
  void withoutTlsOnTheServerRequireAndVerifyFailAndPreferFallsBack() throws Exception {
    tls.restore();
    try {
      for (ConnectionSettings settings :
          new ConnectionSettings[] {
            settings("require", null), settings("verify-full", authority.certificate())
          }) {
        String refusal =
            "the target server 127.0.0.1:" + settings.port() + " does not accept TLS connections,"
                + " but --target asks for sslmode=" + settings.sslMode().value()
                + ". Enable TLS on the server, or use sslmode=prefer or sslmode=disable.";
        assertThatThrownBy(() -> jdbcEncrypted(settings))
            .satisfies(e -> assertThat(DbErrors.translate(settings, "connecting", e)).hasMessage(refusal));
        assertThatThrownBy(() -> reactiveEncrypted(settings)).hasMessage(refusal);
      }
      ConnectionSettings prefer = settings("prefer", null);
      assertThat(jdbcEncrypted(prefer)).isFalse();
      assertThat(reactiveEncrypted(prefer)).isFalse();
    } finally {
      tls.enable("server", good.certificate(), good.key());
    }
  }

  @Test
  void bothClientsLogInWithAClientCertificate() throws Exception {
    String user = "bf_test_tls_cert";
    TestCertificates.Issued client = certs.issue("client", user, "DNS:" + user, authority);
    ConnectionSettings admin = server.adminSettings();
    String url =
        TestUrls.url(user, null, admin.host(), admin.port(), admin.database())
            + "?sslmode=verify-full&sslrootcert=" + authority.certificate();
    ConnectionSettings withCertificate =
        ConnectionSettings.parse(
            ServerRole.TARGET,
            url + "&sslcert=" + client.certificate() + "&sslkey=" + client.key());
    ConnectionSettings without = ConnectionSettings.parse(ServerRole.TARGET, url);
    execute(admin, "DROP ROLE IF EXISTS " + user, "CREATE ROLE " + user + " LOGIN");
    try {
      tls.requireClientCertificate(user, authority.certificate());
      String clientDn = "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
      try (Connection connection = JdbcConnections.open(withCertificate);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(clientDn)) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("/CN=" + user);
      }
      Pool pool = ReactiveClients.pool(vertx, withCertificate, 1);
      try {
        assertThat(
                pool.query(clientDn).execute()
                    .map(rows -> rows.iterator().next().getString(0))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
            .isEqualTo("/CN=" + user);
      } finally {
        pool.close();
      }
      String refusal =
          "the target server 127.0.0.1:" + admin.port() + " refused the login of user \"" + user + "\"";
      assertThatThrownBy(() -> jdbcEncrypted(without))
          .satisfies(e -> assertThat(DbErrors.translate(without, "connecting", e)).hasMessageStartingWith(refusal));
      assertThatThrownBy(() -> reactiveEncrypted(without)).hasMessageStartingWith(refusal);
    } finally {
      execute(admin, "DROP ROLE IF EXISTS " + user);
    }
  }

  private static void execute(ConnectionSettings settings, String... statements) throws Exception {
    try (Connection connection = JdbcConnections.open(settings);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  @Test
  void verifyFullRefusesACertificateForAnotherHostButVerifyCaTakesIt() throws Exception {
    tls.enable("wrong-name", wrongName.certificate(), wrongName.key());
    try {
      ConnectionSettings full = settings("verify-full", authority.certificate());
      assertThatThrownBy(() -> jdbcEncrypted(full)).hasMessageContaining("127.0.0.1");
      assertThatThrownBy(() -> reactiveEncrypted(full))
          .isInstanceOf(BackfillException.class)
          .hasMessageStartingWith("the TLS certificate of the target server")
          .hasMessageContaining("under sslmode=verify-full")
          .hasMessageEndingWith("Check sslrootcert and the host in --target.");
      ConnectionSettings ca = settings("verify-ca", authority.certificate());
      assertThat(jdbcEncrypted(ca)).isTrue();
      assertThat(reactiveEncrypted(ca)).isTrue();
    } finally {
      tls.enable("server", good.certificate(), good.key());
    }
  }
}
