package io.github.backfill.common.testing;

import io.github.backfill.common.db.ServerRole;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the servers of the suite, in the order of the command-line contract: the URLs in
 * {@code BACKFILL_TEST_SOURCE_URL} and {@code BACKFILL_TEST_TARGET_URL}; else TimescaleDB containers
 * on {@code TIMESCALEDB_IMAGE} when {@code BACKFILL_TEST_CONTAINERS=1}; else the local servers of
 * {@code scripts/timescaledb}, started when they are down. A Docker engine being present changes
 * nothing by itself.
 */
public final class TestServers {
  public enum Kind {
    ENVIRONMENT,
    TESTCONTAINERS,
    LOCAL
  }

  private static TestServers instance;

  private final Kind kind;
  private final TestServer source;
  private final TestServer target;

  private TestServers(Kind kind, TestServer source, TestServer target) {
    this.kind = kind;
    this.source = source;
    this.target = target;
  }

  public static synchronized TestServers get() {
    if (instance == null) {
      instance = choose();
      System.err.printf(
          "test servers (%s): source %s, target %s%n",
          instance.kind,
          instance.source.adminSettings().address(),
          instance.target.adminSettings().address());
    }
    return instance;
  }

  private static TestServers choose() {
    String sourceUrl = System.getenv("BACKFILL_TEST_SOURCE_URL");
    String targetUrl = System.getenv("BACKFILL_TEST_TARGET_URL");
    if (sourceUrl != null && targetUrl != null) {
      PgTools tools = PgTools.local();
      return new TestServers(
          Kind.ENVIRONMENT,
          new TestServer(ServerRole.SOURCE, sourceUrl, tools),
          new TestServer(ServerRole.TARGET, targetUrl, tools));
    }
    if (sourceUrl != null || targetUrl != null) {
      throw new IllegalStateException(
          "set both BACKFILL_TEST_SOURCE_URL and BACKFILL_TEST_TARGET_URL, or neither");
    }
    if ("1".equals(System.getenv("BACKFILL_TEST_CONTAINERS"))) {
      if (!Containers.dockerAvailable()) {
        throw new IllegalStateException(
            "BACKFILL_TEST_CONTAINERS=1 but Testcontainers finds no Docker engine; run scripts/docker up");
      }
      return new TestServers(
          Kind.TESTCONTAINERS,
          Containers.start(ServerRole.SOURCE),
          Containers.start(ServerRole.TARGET));
    }
    return local();
  }

  private static TestServers local() {
    Flavor flavor = Flavor.current();
    int sourcePort = intEnv("BACKFILL_SOURCE_PORT", flavor.defaultSourcePort());
    int targetPort = intEnv("BACKFILL_TARGET_PORT", flavor.defaultTargetPort());
    if (!listening(sourcePort) || !listening(targetPort)) {
      runScript("up");
    }
    String password = System.getenv().getOrDefault("BACKFILL_PG_PASSWORD", "postgres");
    PgTools tools = PgTools.local();
    return new TestServers(
        Kind.LOCAL,
        new TestServer(
            ServerRole.SOURCE,
            TestUrls.url("postgres", password, "127.0.0.1", sourcePort, "backfill"),
            tools),
        new TestServer(
            ServerRole.TARGET,
            TestUrls.url("postgres", password, "127.0.0.1", targetPort, "backfill"),
            tools));
  }

  public Kind kind() {
    return kind;
  }

  public TestServer source() {
    return source;
  }

  public TestServer target() {
    return target;
  }

  public TestServer server(ServerRole role) {
    return role == ServerRole.SOURCE ? source : target;
  }

  /** The repository's root: the nearest directory above the working directory with the launcher. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isExecutable(dir.resolve("scripts/timescaledb"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find scripts/timescaledb above " + Path.of("").toAbsolutePath());
  }

  /** Runs {@code scripts/timescaledb ARGS}, failing with its output when it fails. */
  static String runScript(String... args) {
    List<String> command = new ArrayList<>();
    command.add(repositoryRoot().resolve("scripts/timescaledb").toString());
    command.addAll(List.of(args));
    return Processes.run(command, null, null).requireSuccess().stdout();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int intEnv(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
  }
}
