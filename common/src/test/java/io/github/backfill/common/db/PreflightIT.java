package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestServers;
import io.github.backfill.common.testing.TestUrls;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PreflightIT {
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

  private static ServerInfo probe(ConnectionSettings settings) throws Exception {
    Pool pool = ReactiveClients.pool(vertx, settings, 1);
    try {
      return Preflight.probe(pool, settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } finally {
      pool.close();
    }
  }

  private static ConnectionSettings withPassword(TestDatabase db, String password) {
    ConnectionSettings s = db.settings();
    return ConnectionSettings.parse(
        db.role(), TestUrls.url(s.user(), password, s.host(), s.port(), s.database()));
  }

  @Test
  void readsVersionsAndLicense() throws Exception {
    ServerInfo info = probe(dbs.source().settings());
    assertThat(info.serverVersionNum()).isGreaterThanOrEqualTo(170000);
    assertThat(info.timescaledbVersion())
        .isEqualTo(dbs.source().string("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"));
    assertThat(info.license()).isIn("apache", "timescale");
    assertThat(Preflight.requireCompatibleVersions(info, probe(dbs.target().settings()))).isTrue();
  }

  @Test
  void anUnreachableServerIsNamed() {
    ConnectionSettings settings =
        ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u:pw@127.0.0.1:1/db?connect_timeout=2");
    assertThatThrownBy(() -> probe(settings))
        .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED))
        .hasMessage(
            "cannot connect to the source server 127.0.0.1:1: connection refused. Check that the"
                + " server is running and that the host and port in --source are right.");
  }

  @Test
  void anUnknownHostIsNamed() {
    ConnectionSettings settings =
        ConnectionSettings.parse(ServerRole.TARGET, "postgres://u:pw@no-such-host.invalid:5432/db");
    assertThatThrownBy(() -> probe(settings))
        .hasMessage(
            "cannot resolve the host \"no-such-host.invalid\" of the target server. Check the host in --target.");
  }

  @Test
  void aWrongPasswordIsRefusedWithoutEchoingIt() {
    ConnectionSettings settings = withPassword(dbs.target(), "Wr0ng-Passw0rd-42");
    assertThatThrownBy(() -> probe(settings))
        .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED))
        .hasMessage(
            "the target server "
                + settings.address()
                + " refused the login of user \""
                + settings.user()
                + "\": password authentication failed for user \""
                + settings.user()
                + "\". Check the user and password in --target.")
        .hasMessageNotContaining("Wr0ng-Passw0rd-42");
  }

  @Test
  void aMissingDatabaseIsNamed() {
    ConnectionSettings s = dbs.source().settings();
    ConnectionSettings missing =
        ConnectionSettings.parse(
            ServerRole.SOURCE,
            TestUrls.url(s.user(), s.password().orElse(null), s.host(), s.port(), "bf_test_absent_db"));
    assertThatThrownBy(() -> probe(missing))
        .hasMessage(
            "database \"bf_test_absent_db\" does not exist on the source server "
                + s.address()
                + ". Check the database name in --source.");
  }

  @Test
  void aDatabaseWithoutTimescaleDbIsAnIncompatibleSource() throws Exception {
    BackfillDatabases plain = new BackfillDatabases(false);
    for (var role : ServerRole.values()) {
      TestDatabase db = plain.create(TestServers.get().server(role), "bf_test_preflight_plain_" + role.label());
      try {
        ServerInfo info = probe(db.settings());
        assertThat(info.hasTimescaleDb()).isFalse();
        assertThatThrownBy(() -> Preflight.requireTimescaleDb(info))
            .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
            .hasMessage(
                "TimescaleDB is not installed in database \"bf_test_preflight_plain_"
                    + role.label()
                    + "\" on the "
                    + role.label()
                    + " server "
                    + db.settings().address()
                    + ". Check the database name in "
                    + role.flag()
                    + ", or run CREATE EXTENSION timescaledb in it.");
      } finally {
        BackfillDatabases.drop(db);
      }
    }
  }

  @Test
  void anOlderTargetIsRefusedAndANewerOneTakenAsAnotherRelease() throws Exception {
    // Only one TimescaleDB version is installed here, so this test fakes others in its own database
    // by rewriting pg_extension.extversion, as a superuser may. TimescaleDB's loader would then look
    // for that version's library in every new session of that database, so loading is turned off
    // there first: preflight reads only the catalog.
    BackfillDatabases other = new BackfillDatabases(true);
    TestDatabase db = other.create(TestServers.get().target(), "bf_test_preflight_version");
    try {
      db.execute(
          "ALTER DATABASE bf_test_preflight_version SET timescaledb.disable_load = on",
          "UPDATE pg_extension SET extversion = '2.17.0' WHERE extname = 'timescaledb'");
      ServerInfo source = probe(dbs.source().settings());
      ServerInfo older = probe(db.settings());
      assertThatThrownBy(() -> Preflight.requireCompatibleVersions(source, older))
          .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
          .hasMessage(
              "timescaledb extension version is different in source and target: source="
                  + source.timescaledbVersion()
                  + ", target=2.17.0. This tool copies from an older TimescaleDB release to a newer"
                  + " one, not back: a newer release may store chunks in a form the older one cannot"
                  + " read. Update the target with ALTER EXTENSION timescaledb UPDATE to "
                  + source.timescaledbVersion()
                  + " or later.");

      db.execute("UPDATE pg_extension SET extversion = '2.99.0' WHERE extname = 'timescaledb'");
      ServerInfo newer = probe(db.settings());
      assertThat(Preflight.requireCompatibleVersions(source, newer)).isFalse();
      // The same release in the other direction is the first case again.
      assertThatThrownBy(() -> Preflight.requireCompatibleVersions(newer, source))
          .isInstanceOf(BackfillException.class)
          .hasMessageContaining(", target=" + source.timescaledbVersion() + ". This tool copies from an older");
    } finally {
      BackfillDatabases.drop(db);
    }
  }
}
