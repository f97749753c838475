package io.github.backfill.common.testing;

import io.github.backfill.common.db.ConnectionSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds {@code postgres://} URLs for tests. */
public final class TestUrls {
  private TestUrls() {}

  /** The URL of {@code database} on the server and with the login of {@code settings}. */
  public static String withDatabase(ConnectionSettings settings, String database) {
    return url(
        settings.user(), settings.password().orElse(null), settings.host(), settings.port(), database)
        + "?sslmode="
        + settings.sslMode().value();
  }

  public static String url(String user, String password, String host, int port, String database) {
    StringBuilder url = new StringBuilder("postgres://").append(encode(user));
    if (password != null) {
      url.append(':').append(encode(password));
    }
    url.append('@').append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
    return url.append('/').append(encode(database)).toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
