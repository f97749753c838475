package io.github.backfill.coordinator.cluster;

import io.github.backfill.common.BackfillException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

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
    BusTls tls =
        new BusTls(
            pem("--bus-tls-cert", certificate, "CERTIFICATE"),
            pem("--bus-tls-key", key, "PRIVATE KEY"),
            pem("--bus-tls-ca", authority, "CERTIFICATE"));
    tls.load();
    return tls;
  }

  /**
   * Loads the files as the bus will, so that a bad one is a usage error now rather than a node that
   * cannot start or, with a key of another certificate, one whose every connection fails.
   */
  private void load() {
    Vertx vertx = Vertx.vertx();
    try {
      KeyManagerFactory keys;
      try {
        keys = keyCertOptions().getKeyManagerFactory(vertx);
      } catch (Exception e) {
        throw BackfillException.usage(
            "--bus-tls-cert " + certificate + " and --bus-tls-key " + key + " cannot be loaded ("
                + e.getMessage() + "). Give a PEM certificate and its unencrypted PEM key.");
      }
      try {
        trustOptions().getTrustManagerFactory(vertx);
      } catch (Exception e) {
        throw BackfillException.usage(
            "--bus-tls-ca " + authority + " cannot be loaded (" + e.getMessage() + ").");
      }
      if (!keyMatchesCertificate(keys)) {
        throw BackfillException.usage(
            "--bus-tls-key " + key + " is not the key of --bus-tls-cert " + certificate + ".");
      }
    } finally {
      vertx.close();
    }
  }

  /** Signs a probe with the key and checks the signature with the certificate's public key. */
  private static boolean keyMatchesCertificate(KeyManagerFactory keys) {
    for (KeyManager manager : keys.getKeyManagers()) {
      if (!(manager instanceof X509KeyManager x509)) {
        continue;
      }
      for (String type : new String[] {"EC", "RSA", "EdDSA"}) {
        String[] aliases = x509.getClientAliases(type, null);
        for (String alias : aliases == null ? new String[0] : aliases) {
          PrivateKey privateKey = x509.getPrivateKey(alias);
          X509Certificate[] chain = x509.getCertificateChain(alias);
          if (privateKey != null && chain != null && chain.length > 0) {
            return signs(privateKey, chain[0]);
          }
        }
      }
    }
    return false;
  }

  private static boolean signs(PrivateKey privateKey, X509Certificate certificate) {
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> privateKey.getAlgorithm(); // EdDSA, Ed25519
        };
    try {
      byte[] probe = "timescaledb-backfill".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString());
  }

  private PemTrustOptions trustOptions() {
    return new PemTrustOptions().addCertPath(authority.toString());
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
        .setKeyCertOptions(keyCertOptions())
        .setTrustOptions(trustOptions());
  }
}
