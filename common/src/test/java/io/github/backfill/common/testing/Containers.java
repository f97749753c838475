package io.github.backfill.common.testing;

import io.github.backfill.common.db.ServerRole;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * TimescaleDB in containers, where Docker runs. The image has TimescaleDB's TSL license, so the
 * compression and continuous-aggregate tests run there. Its client programs run inside the container.
 */
final class Containers {
  /** Pinned: PostgreSQL 17 with TimescaleDB 2.19, the version of Debian's package. */
  static final String IMAGE = "timescale/timescaledb-ha:pg17-ts2.19";

  private Containers() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static TestServer start(ServerRole role) {
    PostgreSQLContainer container =
        new PostgreSQLContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
            .withDatabaseName("backfill")
            .withUsername("postgres")
            .withPassword("postgres")
            .withCommand("postgres", "-c", "max_locks_per_transaction=256");
    container.start();
    String url =
        TestUrls.url(
            "postgres", "postgres", container.getHost(), container.getMappedPort(5432), "backfill");
    PgTools tools =
        (program, database, stdin, args) -> {
          try {
            List<String> command = new ArrayList<>(List.of(program));
            command.addAll(List.of(args));
            if (stdin != null) {
              container.copyFileToContainer(Transferable.of(stdin), "/tmp/stdin.sql");
              command = List.of("sh", "-c", quote(command) + " < /tmp/stdin.sql");
            }
            java.util.Map<String, String> env = new java.util.HashMap<>(PgTools.environment(database));
            // Inside the container the server is on its own port 5432.
            env.put("PGHOST", "localhost");
            env.put("PGPORT", "5432");
            ExecResult result =
                container.execInContainer(
                    ExecConfig.builder().command(command.toArray(String[]::new)).envVars(env).build());
            return new Processes.Result(command, result.getExitCode(), result.getStdout(), result.getStderr());
          } catch (Exception e) {
            throw new IllegalStateException("running " + program + " in the " + role + " container", e);
          }
        };
    return new TestServer(role, url, tools);
  }

  private static String quote(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      line.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    return line.toString();
  }
}
