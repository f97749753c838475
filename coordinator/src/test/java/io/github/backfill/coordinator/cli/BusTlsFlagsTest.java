package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-bus TLS flags are checked before anything starts: all three or none, readable files
 * holding PEM of the right kind, and only with a cluster. Each mistake is exit code 2 with one line
 * that names the flag; no key material is ever printed.
 */
class BusTlsFlagsTest {
  private static final String DB = "postgres://u:secret@127.0.0.1:1/db";

  @TempDir static Path dir;
  private static Path cert;
  private static Path key;
  private static Path ca;
  private static TestCertificates.Issued authority;
  private static TestCertificates.Issued real;

  @BeforeAll
  static void files() throws IOException {
    cert = Files.writeString(dir.resolve("node.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    key = Files.writeString(dir.resolve("node.key"), "-----BEGIN PRIVATE KEY-----\nS3CR3T\n-----END PRIVATE KEY-----\n");
    ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    TestCertificates certs = new TestCertificates(Files.createDirectory(dir.resolve("real")));
    authority = certs.authority("ca");
    real = certs.issueMinimal("node", "node", authority);
  }

  private static CliRun worker(String... tls) {
    List<String> args = new ArrayList<>(List.of("worker", "--source", DB, "--target", DB, "--cluster-name", "bf-flags",
        "--cluster-port", "1", "--bus-port", "2"));
    args.addAll(List.of(tls));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static void assertUsageError(CliRun run, String message) {
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo("Error: " + message + "\n");
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stdout() + run.stderr()).doesNotContain("S3CR3T").doesNotContain("secret");
  }

  @Test
  void onlySomeOfTheThreeFlagsIsAUsageError() {
    String message = "--bus-tls-cert, --bus-tls-key and --bus-tls-ca go together: give all three (this node's"
        + " certificate, its key, and the authority that signs every node's certificate), or none.";
    assertUsageError(worker("--bus-tls-cert", cert.toString()), message);
    assertUsageError(worker("--bus-tls-cert", cert.toString(), "--bus-tls-key", key.toString()), message);
    assertUsageError(worker("--bus-tls-ca", ca.toString()), message);
  }

  @Test
  void aMissingOrUnreadableFileIsAUsageError() {
    Path missing = dir.resolve("missing.crt");
    assertUsageError(
        worker("--bus-tls-cert", missing.toString(), "--bus-tls-key", key.toString(), "--bus-tls-ca", ca.toString()),
        "--bus-tls-cert " + missing + " is not a readable file.");
    assertUsageError(
        worker("--bus-tls-cert", cert.toString(), "--bus-tls-key", dir.toString(), "--bus-tls-ca", ca.toString()),
        "--bus-tls-key " + dir + " is not a readable file.");
  }

  @Test
  void aFileOfTheWrongKindIsAUsageError() {
    // The key given as the authority, and a certificate given as the key.
    assertUsageError(
        worker("--bus-tls-cert", cert.toString(), "--bus-tls-key", key.toString(), "--bus-tls-ca", key.toString()),
        "--bus-tls-ca " + key + " holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----).");
    assertUsageError(
        worker("--bus-tls-cert", cert.toString(), "--bus-tls-key", cert.toString(), "--bus-tls-ca", ca.toString()),
        "--bus-tls-key " + cert + " holds no PEM private key (a block starting -----BEGIN PRIVATE KEY-----).");
  }

  @Test
  void aKeyThatCannotBeLoadedIsAUsageError() {
    // PEM markers around something that is no key: found when loading, before the node starts.
    CliRun run = worker("--bus-tls-cert", real.certificate().toString(), "--bus-tls-key", key.toString(),
        "--bus-tls-ca", authority.certificate().toString());
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    // Between the parentheses: the PEM reader's own words.
    assertThat(run.stderr())
        .startsWith("Error: --bus-tls-cert " + real.certificate() + " and --bus-tls-key " + key + " cannot be loaded (")
        .endsWith("). Give a PEM certificate and its unencrypted PEM key.\n")
        .hasLineCount(1)
        .doesNotContain("S3CR3T");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void theKeyOfAnotherCertificateIsAUsageError() {
    assertUsageError(
        worker("--bus-tls-cert", real.certificate().toString(), "--bus-tls-key", authority.key().toString(),
            "--bus-tls-ca", authority.certificate().toString()),
        "--bus-tls-key " + authority.key() + " is not the key of --bus-tls-cert " + real.certificate() + ".");
  }

  @Test
  void theFlagsNeedACluster() {
    CliRun copy = CliRun.of("copy", "--source", DB, "--target", DB, "--bus-tls-cert", cert.toString(),
        "--bus-tls-key", key.toString(), "--bus-tls-ca", ca.toString());
    assertUsageError(copy, "--bus-tls-cert, --bus-tls-key and --bus-tls-ca secure the event bus of a cluster and"
        + " need --cluster-name; a run on one host has no bus to secure.");
  }
}
