package io.github.backfill.coordinator.cluster;

import io.github.backfill.common.BackfillException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS with client certificates on the clustered event bus: every node presents its certificate and
 * accepts only peers whose certificate the authority signed, in both directions, so that a node
 * without such a certificate neither receives announcements nor can ask for work. Host names are not
 * checked (Vert.x's bus does not): the authority is the trust.
 *
 * @param certificate this node's certificate, PEM (a chain may follow it)
 * @param key its private key, PEM (PKCS#8 or PKCS#1)
 * @param authority the certificate of the authority that signs the nodes' certificates, PEM
 */
public record BusTls(Path certificate, Path key, Path authority) {
  /**
   * The bus TLS of the three flags: null when none is given; all three are needed, each a readable
   * PEM file of the right kind. Errors name the flag and say what to fix.
   */
  public static BusTls of(String certificate, String key, String authority) {
    if (certificate == null && key == null && authority == null) {
      return null;
    }
    if (certificate == null || key == null || authority == null) {
      throw BackfillException.usage(
          "--bus-tls-cert, --bus-tls-key and --bus-tls-ca go together: give all three (this node's"
              + " certificate, its key, and the authority that signs every node's certificate), or"
              + " none.");
    }
    return new BusTls(
        pem("--bus-tls-cert", certificate, "CERTIFICATE"),
        pem("--bus-tls-key", key, "PRIVATE KEY"),
        pem("--bus-tls-ca", authority, "CERTIFICATE"));
  }

  private static Path pem(String flag, String file, String kind) {
    Path path = Path.of(file);
    String text;
    try {
      text = Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.ISO_8859_1) : null;
    } catch (IOException | RuntimeException e) {
      text = null;
    }
    if (text == null) {
      throw BackfillException.usage(flag + " " + file + " is not a readable file.");
    }
    // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY".
    if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
      throw BackfillException.usage(
          flag + " " + file + " holds no PEM " + kind.toLowerCase(java.util.Locale.ROOT)
              + " (a block starting -----BEGIN " + kind + "-----).");
    }
    return path.toAbsolutePath();
  }

  /** Turns on TLS with required client certificates on {@code options}. */
  public void applyTo(EventBusOptions options) {
    options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        // The bus's client side trusts every server by default (EventBusOptions.DEFAULT_TRUST_ALL):
        // a node with a foreign certificate would still receive what this node sends it.
        .setTrustAll(false)
        .setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(authority.toString()));
  }
}
