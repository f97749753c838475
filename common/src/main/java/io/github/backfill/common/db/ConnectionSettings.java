package io.github.backfill.common.db;

import io.github.backfill.common.BackfillException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed libpq-style connection string, in either the URL form
 * ({@code postgres://user:pw@host:5432/db?sslmode=require}) or the {@code key=value} form
 * ({@code host=h port=5432 dbname=db user=u password='p w'}). It is the one source of the settings that
 * both the reactive client ({@link ReactiveClients}) and PgJDBC ({@link JdbcConnections}) connect with.
 *
 * <p>As libpq does, what the string leaves out comes from the {@code PG*} environment variables
 * ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD},
 * {@code PGSSLMODE}, {@code PGSSLROOTCERT}, {@code PGSSLCERT}, {@code PGSSLKEY}, {@code PGAPPNAME},
 * {@code PGCONNECT_TIMEOUT}), and a missing password from the password file ({@link PassFile}), so
 * that passwords need not be on the command line.
 *
 * <p>{@link #toString()} and {@link #describe()} never show the password.
 */
public final class ConnectionSettings {
  public static final String DEFAULT_APPLICATION_NAME = "timescaledb-backfill";

  /** The environment variable libpq reads for each option the string leaves out. */
  private static final Map<String, String> ENVIRONMENT =
      Map.ofEntries(
          Map.entry("host", "PGHOST"),
          Map.entry("port", "PGPORT"),
          Map.entry("dbname", "PGDATABASE"),
          Map.entry("user", "PGUSER"),
          Map.entry("password", "PGPASSWORD"),
          Map.entry("sslmode", "PGSSLMODE"),
          Map.entry("sslrootcert", "PGSSLROOTCERT"),
          Map.entry("sslcert", "PGSSLCERT"),
          Map.entry("sslkey", "PGSSLKEY"),
          Map.entry("application_name", "PGAPPNAME"),
          Map.entry("connect_timeout", "PGCONNECT_TIMEOUT"));

  static final List<String> KEYWORDS =
      List.of(
          "host",
          "port",
          "dbname",
          "user",
          "password",
          "sslmode",
          "sslrootcert",
          "sslcert",
          "sslkey",
          "application_name",
          "connect_timeout");

  /** A URL's scheme, such as {@code mysql} of {@code mysql://h/db}. */
  private static final Pattern URL_SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.:-]*)://");

  private static final String EMPTY =
      "it is empty; give a URL such as postgres://USER@HOST:5432/DB, or key=value pairs such as"
          + " host=HOST dbname=DB user=USER";

  private final ServerRole role;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final SslMode sslMode;
  private final String sslRootCert;
  private final String sslCert;
  private final String sslKey;
  private final String applicationName;
  private final int connectTimeoutSeconds;

  private ConnectionSettings(ServerRole role, Map<String, String> values) {
    this.role = role;
    this.host = values.getOrDefault("host", "localhost");
    this.port = parsePort(role, values.getOrDefault("port", "5432"));
    this.user = values.getOrDefault("user", System.getProperty("user.name"));
    this.database = values.getOrDefault("dbname", user);
    this.password = values.get("password");
    String mode = values.getOrDefault("sslmode", SslMode.PREFER.value());
    this.sslMode = SslMode.parse(mode);
    if (sslMode == null) {
      throw invalid(
          role, "sslmode \"" + mode + "\" is not valid; use one of " + SslMode.allValues());
    }
    this.sslRootCert = values.get("sslrootcert");
    this.sslCert = values.get("sslcert");
    this.sslKey = values.get("sslkey");
    this.applicationName = values.getOrDefault("application_name", DEFAULT_APPLICATION_NAME);
    this.connectTimeoutSeconds = parseTimeout(role, values.getOrDefault("connect_timeout", "10"));
    if (host.isEmpty()) {
      throw invalid(role, "the host is empty");
    }
    if (host.startsWith("/")) {
      throw invalid(
          role,
          "host \""
              + host
              + "\" is a Unix-domain socket directory, which this tool does not support; give a"
              + " TCP host such as 127.0.0.1");
    }
    if (user == null || user.isEmpty()) {
      throw invalid(role, "the user is empty");
    }
    if (database.isEmpty()) {
      throw invalid(role, "the database name is empty");
    }
    String keyBlock = sslKey == null ? null : pemBlock(sslKey);
    if (keyBlock != null && !keyBlock.equals("PRIVATE KEY")) {
      // PgJDBC reads PEM keys in PKCS#8 form only; libpq and the reactive client read more.
      throw invalid(
          role,
          "sslkey "
              + sslKey
              + " is a PEM \""
              + keyBlock
              + "\" block, which PgJDBC cannot read; convert it once to an unencrypted PKCS#8 key"
              + " (-----BEGIN PRIVATE KEY-----) with openssl pkcs8 -topk8 -nocrypt -in "
              + sslKey
              + " -out client.pk8.pem, and give that");
    }
    if (sslMode.verifiesCertificate() && sslRootCert == null) {
      throw invalid(
          role,
          "sslmode="
              + sslMode.value()
              + " needs sslrootcert=FILE, the certificate of the authority that signed the"
              + " server's certificate");
    }
  }

  /**
   * Parses a connection string given for {@code role}. Bad input is a {@link BackfillException} with
   * exit code 2 that names the flag and what to fix, and never repeats the string (it may hold a
   * password).
   */
  public static ConnectionSettings parse(ServerRole role, String connectionString) {
    return parse(role, connectionString, System.getenv());
  }

  /** {@link #parse(ServerRole, String)} with the environment {@code env}. */
  static ConnectionSettings parse(ServerRole role, String connectionString, Map<String, String> env) {
    Objects.requireNonNull(role);
    if (connectionString == null || connectionString.isBlank()) {
      throw invalid(role, EMPTY);
    }
    String text = connectionString.strip();
    Matcher scheme = URL_SCHEME.matcher(text);
    if (scheme.lookingAt()
        && !text.startsWith("postgres://")
        && !text.startsWith("postgresql://")) {
      throw invalid(
          role,
          "the URL scheme \""
              + scheme.group(1)
              + "\" is not supported; write postgres://USER@HOST:5432/DB (or postgresql://),"
              + " or key=value pairs such as host=HOST port=5432 dbname=DB user=USER");
    }
    Map<String, String> values =
        text.startsWith("postgres://") || text.startsWith("postgresql://")
            ? parseUrl(role, text)
            : parseKeyValue(role, text);
    ENVIRONMENT.forEach(
        (keyword, variable) -> {
          String value = env.get(variable);
          if (!values.containsKey(keyword) && value != null && !value.isEmpty()) {
            values.put(keyword, value);
          }
        });
    ConnectionSettings settings = new ConnectionSettings(role, values);
    if (settings.password != null) {
      return settings;
    }
    return PassFile.lookup(PassFile.location(env), settings.host, settings.port, settings.database, settings.user)
        .map(password -> {
          values.put("password", password);
          return new ConnectionSettings(role, values);
        })
        .orElse(settings);
  }

  private static Map<String, String> parseUrl(ServerRole role, String url) {
    Map<String, String> values = new LinkedHashMap<>();
    String rest = url.substring(url.indexOf("://") + 3);
    String query = null;
    int queryStart = rest.indexOf('?');
    if (queryStart >= 0) {
      query = rest.substring(queryStart + 1);
      rest = rest.substring(0, queryStart);
    }
    int pathStart = rest.indexOf('/');
    String authority = pathStart >= 0 ? rest.substring(0, pathStart) : rest;
    if (pathStart >= 0 && pathStart + 1 < rest.length()) {
      values.put("dbname", decode(role, rest.substring(pathStart + 1)));
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
      if (!user.isEmpty()) {
        values.put("user", decode(role, user));
      }
      if (colon >= 0) {
        values.put("password", decode(role, userInfo.substring(colon + 1)));
      }
    }
    if (authority.contains(",")) {
      throw invalid(role, "it names several hosts; give exactly one");
    }
    parseHostPort(role, authority, values);
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw invalid(role, "the URL parameter \"" + pair + "\" has no value");
        }
        String key = decode(role, pair.substring(0, eq));
        checkKeyword(role, key);
        values.put(key, decode(role, pair.substring(eq + 1)));
      }
    }
    return values;
  }

  private static void parseHostPort(ServerRole role, String authority, Map<String, String> values) {
    if (authority.isEmpty()) {
      return;
    }
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid(role, "the IPv6 host has no closing ']'");
      }
      host = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (after.startsWith(":")) {
        port = after.substring(1);
      } else if (!after.isEmpty()) {
        throw invalid(role, "unexpected text after the IPv6 host");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon >= 0 ? authority.substring(0, colon) : authority;
      port = colon >= 0 ? authority.substring(colon + 1) : null;
    }
    if (!host.isEmpty()) {
      values.put("host", decode(role, host));
    }
    if (port != null && !port.isEmpty()) {
      values.put("port", port);
    }
  }

  private static Map<String, String> parseKeyValue(ServerRole role, String text) {
    Map<String, String> values = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int keyStart = i;
      while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      String key = text.substring(keyStart, i);
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n || text.charAt(i) != '=') {
        // Only a word is repeated: anything else may be a mistyped URL with a password in it.
        String what =
            key.matches("[A-Za-z_]{1,32}")
                ? "\"" + key + "\" has no value"
                : "it is neither a URL nor key=value pairs";
        throw invalid(
            role,
            what
                + ": write key=value pairs such as host=HOST port=5432"
                + " dbname=DB user=USER, or a URL such as postgres://USER@HOST:5432/DB");
      }
      i++;
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < n && text.charAt(i) == '\'') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = text.charAt(i++);
          if (c == '\\' && i < n) {
            value.append(text.charAt(i++));
          } else if (c == '\'') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw invalid(
              role,
              "the quoted value of \""
                  + key
                  + "\" has no closing quote; end it with ' and write \\' for a quote inside it");
        }
      } else {
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          char c = text.charAt(i++);
          if (c == '\\' && i < n) {
            value.append(text.charAt(i++));
          } else {
            value.append(c);
          }
        }
      }
      checkKeyword(role, key);
      values.put(key, value.toString());
    }
    if (values.isEmpty()) {
      throw invalid(role, EMPTY);
    }
    return values;
  }

  private static void checkKeyword(ServerRole role, String key) {
    if (!KEYWORDS.contains(key)) {
      throw invalid(
          role,
          "unknown option \""
              + key
              + "\"; the supported options are "
              + String.join(", ", KEYWORDS));
    }
  }

  private static String decode(ServerRole role, String text) {
    try {
      // URLDecoder turns '+' into a space, which RFC 3986 paths and user info do not.
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(role, "it holds a malformed %-escape");
    }
  }

  private static int parsePort(ServerRole role, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(role, "port \"" + text + "\" is not a number from 1 to 65535");
  }

  private static int parseTimeout(ServerRole role, String text) {
    try {
      int seconds = Integer.parseInt(text);
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(role, "connect_timeout \"" + text + "\" is not a number of seconds");
  }

  /**
   * The label of the first PEM block of {@code file}, such as {@code PRIVATE KEY}; null when the file
   * cannot be read or holds no PEM (the clients then report it).
   */
  private static String pemBlock(String file) {
    try {
      Matcher begin =
          Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----")
              .matcher(Files.readString(Path.of(file), StandardCharsets.ISO_8859_1));
      return begin.find() ? begin.group(1) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static BackfillException invalid(ServerRole role, String problem) {
    return BackfillException.usage(
        "invalid connection string for " + role.flag() + ": " + problem + ".");
  }

  public ServerRole role() {
    return role;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public SslMode sslMode() {
    return sslMode;
  }

  public Optional<String> sslRootCert() {
    return Optional.ofNullable(sslRootCert);
  }

  public Optional<String> sslCert() {
    return Optional.ofNullable(sslCert);
  }

  public Optional<String> sslKey() {
    return Optional.ofNullable(sslKey);
  }

  public String applicationName() {
    return applicationName;
  }

  public int connectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  /** The server's address for messages: {@code 127.0.0.1:5432}. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** For messages: {@code source server 127.0.0.1:5432, database "db"}; never the password. */
  public String describe() {
    return role.label() + " server " + address() + ", database \"" + database + "\"";
  }

  /** Whether both settings point at the same database of the same server. */
  public boolean sameDatabaseAs(ConnectionSettings other) {
    return host.equalsIgnoreCase(other.host) && port == other.port && database.equals(other.database);
  }

  @Override
  public String toString() {
    return "ConnectionSettings{"
        + role.label()
        + ", "
        + user
        + "@"
        + address()
        + "/"
        + database
        + ", sslmode="
        + sslMode.value()
        + ", password="
        + (password == null ? "none" : "***")
        + "}";
  }
}
