package io.github.backfill.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Certificate authorities and certificates made for a test with the {@code openssl} command line
 * (EC P-256 keys, PEM files, PKCS#8 keys), in a directory of their own.
 */
public final class TestCertificates {
  /** A certificate and its private key, both PEM files. */
  public record Issued(Path certificate, Path key) {}

  private final Path dir;

  public TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A self-signed certificate authority named {@code name}. */
  public Issued authority(String name) {
    Path key = dir.resolve(name + ".key");
    Path cert = dir.resolve(name + ".crt");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-days", "2",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", cert.toString());
    return new Issued(cert, key);
  }

  /**
   * A certificate for {@code commonName}, valid for the {@code subjectAltName} entries given (such
   * as {@code DNS:localhost,IP:127.0.0.1}), signed by {@code authority}; usable by TLS servers and
   * clients alike.
   */
  public Issued issue(String name, String commonName, String subjectAltName, Issued authority) {
    Path key = dir.resolve(name + ".key");
    Path request = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    Path extensions = dir.resolve(name + ".ext");
    try {
      Files.writeString(
          extensions,
          "subjectAltName=" + subjectAltName + "\n"
              + "basicConstraints=CA:FALSE\n"
              + "keyUsage=digitalSignature,keyEncipherment,keyAgreement\n"
              + "extendedKeyUsage=serverAuth,clientAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", request.toString());
    openssl("x509", "-req", "-in", request.toString(), "-CA", authority.certificate().toString(),
        "-CAkey", authority.key().toString(), "-CAcreateserial", "-days", "2",
        "-extfile", extensions.toString(), "-out", cert.toString());
    return new Issued(cert, key);
  }

  /**
   * A certificate for {@code commonName} without any extension (an X.509 v1 certificate), made with
   * the README's commands for event-bus certificates, signed by {@code authority}.
   */
  public Issued issueMinimal(String name, String commonName, Issued authority) {
    Path key = dir.resolve(name + ".key");
    Path request = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=" + commonName, "-keyout", key.toString(), "-out", request.toString());
    openssl("x509", "-req", "-in", request.toString(), "-CA", authority.certificate().toString(),
        "-CAkey", authority.key().toString(), "-CAcreateserial", "-days", "30", "-out", cert.toString());
    return new Issued(cert, key);
  }

  private static void openssl(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Processes.run(command, null, null).requireSuccess();
  }
}
