package io.github.backfill.common.testing;

import io.github.backfill.common.db.ServerRole;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * TimescaleDB in containers (chosen with {@code BACKFILL_TEST_CONTAINERS=1}) on the image
 * {@code TIMESCALEDB_IMAGE}: by default a registry's {@code timescale/timescaledb-ha}, with
 * TimescaleDB's TSL license, so that the compression and continuous-aggregate tests run there; or
 * {@code timescaledb-backfill-db:pg17}, built locally by {@code scripts/docker images} (Debian's
 * Apache edition). An image present locally is never pulled. Its client programs run inside the
 * container.
 */
final class Containers {
  /** Pinned: PostgreSQL 17 with TimescaleDB 2.19, the version of Debian's package. */
  static final String DEFAULT_IMAGE = "timescale/timescaledb-ha:pg17-ts2.19";

  private Containers() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static String image() {
    String image = System.getenv("TIMESCALEDB_IMAGE");
    return image == null || image.isBlank() ? DEFAULT_IMAGE : image.strip();
  }

  static TestServer start(ServerRole role) {
    PostgreSQLContainer container =
        new PostgreSQLContainer(DockerImageName.parse(image()).asCompatibleSubstituteFor("postgres"))
            // Pulls only an image missing here: a local one (no registry answers) is used as it is.
            .withImagePullPolicy(PullPolicy.defaultPolicy())
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
