package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.ServerTls;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestCertificates;
import io.github.backfill.common.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * stage, copy and verify against a target server with TLS on and a test-made certificate, for every
 * sslmode; and the refusals: a certificate for another host under verify-full, one from another
 * authority under verify-ca. The server goes back to no TLS afterwards. Needs root and the local
 * servers; skipped, visibly, elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private ServerTls tls;
  private TestCertificates.Issued authority;
  private TestCertificates.Issued otherAuthority;
  private TestCertificates.Issued good;
  private TestCertificates.Issued wrongName;

  @BeforeAll
  void tlsOn() throws Exception {
    tls = ServerTls.of(TestServers.get().target());
    TestCertificates certs = new TestCertificates(Files.createTempDirectory("bf-tls"));
    authority = certs.authority("test-ca");
    otherAuthority = certs.authority("other-ca");
    good = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1", authority);
    wrongName = certs.issue("wrong-name", "db.example.com", "DNS:db.example.com", authority);
    tls.enable("server", good.certificate(), good.key());
    Datasets.metrics(dbs.source());
    Skeleton.copy(dbs.source(), dbs.target());
    // Each row the tool writes notes whether its session is encrypted, as the server sees it. Stage
    // creates chunks with user triggers off, so the rows noted are those of copy's COPY (PgJDBC).
    dbs.target().execute(
        "CREATE TABLE tls_seen (app text, ssl boolean)",
        "CREATE FUNCTION note_tls() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " INSERT INTO tls_seen SELECT current_setting('application_name'), ssl FROM pg_stat_ssl"
            + " WHERE pid = pg_backend_pid(); RETURN NEW; END $$",
        "CREATE TRIGGER note_tls BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION note_tls()");
  }

  @AfterAll
  void tlsOff() {
    if (tls != null) {
      tls.restore();
    }
  }

  @BeforeEach
  void emptyTarget() {
    dbs.target().execute("DROP SCHEMA IF EXISTS __backfill CASCADE", "TRUNCATE metrics", "TRUNCATE tls_seen");
  }

  private String target(String sslmode, Path rootCert) {
    return dbs.target().url().replace("sslmode=prefer", "sslmode=" + sslmode)
        + (rootCert == null ? "" : "&sslrootcert=" + rootCert);
  }

  private Path rootCert(String which) {
    return switch (which) {
      case "none" -> null;
      case "test-ca" -> authority.certificate();
      case "other-ca" -> otherAuthority.certificate();
      default -> throw new IllegalArgumentException(which);
    };
  }

  /**
   * Every mode works; allow tries without TLS first, which the server accepts, and disable never
   * encrypts. require with another authority's root certificate still works: it does not verify.
   */
  @ParameterizedTest
  @CsvSource({
    "disable, none, false",
    "allow, none, false",
    "prefer, none, true",
    "require, none, true",
    "require, other-ca, true",
    "verify-ca, test-ca, true",
    "verify-full, test-ca, true"
  })
  void stageCopyAndVerifyWorkInEverySslMode(String sslmode, String rootCert, boolean encrypted) {
    String source = dbs.source().url();
    String target = target(sslmode, rootCert(rootCert));

    CliRun stage = CliRun.of("stage", "--source", source, "--target", target, "--until", "2023-06-01");
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    assertThat(stage.stdout()).contains("Staged 5 chunks to copy.");
    CliRun copy = CliRun.of("copy", "--source", source, "--target", target);
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    assertThat(copy.stdout()).contains(" from 5 chunks in ");
    CliRun verify = CliRun.of("verify", "--source", source, "--target", target);
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();

    assertThat(dbs.target().count("SELECT count(*) FROM metrics")).isEqualTo(744);
    assertThat(dbs.target().rows("SELECT app, ssl FROM tls_seen GROUP BY app, ssl"))
        .containsExactly(java.util.List.of("timescaledb-backfill", encrypted));
    Rows.assertSame(dbs.source(), dbs.target(), "SELECT * FROM metrics");
  }

  @Test
  void verifyCaRefusesACertificateFromAnotherAuthority() {
    CliRun stage =
        CliRun.of("stage", "--source", dbs.source().url(), "--target",
            target("verify-ca", otherAuthority.certificate()), "--until", "2023-06-01");

    assertThat(stage.exitCode()).as(stage.stderr()).isEqualTo(1);
    assertThat(stage.stderr())
        .startsWith("Error: the TLS certificate of the target server 127.0.0.1:"
            + dbs.target().settings().port() + " is not accepted under sslmode=verify-ca: it must be"
            + " signed by the authority in sslrootcert (" + otherAuthority.certificate() + ") (")
        .contains("). Check sslrootcert in --target.\n")
        .doesNotContain("\tat ")
        .doesNotContain(dbs.target().settings().password().orElseThrow() + "@");
    assertNothingWritten();

    // copy and verify check the target's certificate before anything else, the same way.
    for (String command : new String[] {"copy", "verify"}) {
      CliRun run = CliRun.of(command, "--source", dbs.source().url(), "--target",
          target("verify-ca", otherAuthority.certificate()));
      assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
      assertThat(run.stderr()).startsWith("Error: the TLS certificate of the target server 127.0.0.1:");
    }
    assertNothingWritten();
  }

  @Test
  void verifyFullRefusesACertificateForAnotherHostName() {
    tls.enable("wrong-name", wrongName.certificate(), wrongName.key());
    try {
      String source = dbs.source().url();
      CliRun full =
          CliRun.of("stage", "--source", source, "--target", target("verify-full", authority.certificate()),
              "--until", "2023-06-01");
      assertThat(full.exitCode()).as(full.stderr()).isEqualTo(1);
      assertThat(full.stderr())
          .startsWith("Error: the TLS certificate of the target server 127.0.0.1:"
              + dbs.target().settings().port() + " is not accepted under sslmode=verify-full: it must"
              + " be signed by the authority in sslrootcert (" + authority.certificate() + ") and"
              + " name the host \"127.0.0.1\" (")
          .contains("). Check sslrootcert and the host in --target.\n")
          .doesNotContain("\tat ");
      assertNothingWritten();

      // The same certificate passes verify-ca: it is signed by the trusted authority.
      CliRun ca =
          CliRun.of("stage", "--source", source, "--target", target("verify-ca", authority.certificate()),
              "--until", "2023-06-01");
      assertThat(ca.exitCode()).as(ca.stderr()).isZero();
      assertThat(ca.stdout()).contains("Staged 5 chunks to copy.");
    } finally {
      tls.enable("server", good.certificate(), good.key());
    }
  }

  private void assertNothingWritten() {
    assertThat(dbs.target().count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'"))
        .isZero();
  }
}
