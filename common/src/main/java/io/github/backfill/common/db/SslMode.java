package io.github.backfill.common.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** libpq's {@code sslmode} values, with libpq's meaning. */
public enum SslMode {
  DISABLE("disable"),
  ALLOW("allow"),
  PREFER("prefer"),
  REQUIRE("require"),
  VERIFY_CA("verify-ca"),
  VERIFY_FULL("verify-full");

  private final String value;

  SslMode(String value) {
    this.value = value;
  }

  /** The libpq spelling, such as {@code verify-full}. */
  public String value() {
    return value;
  }

  /** Whether the server's certificate must chain to a trusted root. */
  public boolean verifiesCertificate() {
    return this == VERIFY_CA || this == VERIFY_FULL;
  }

  static SslMode parse(String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    for (SslMode mode : values()) {
      if (mode.value.equals(wanted)) {
        return mode;
      }
    }
    return null;
  }

  static String allValues() {
    return Arrays.stream(values()).map(SslMode::value).collect(Collectors.joining(", "));
  }
}
