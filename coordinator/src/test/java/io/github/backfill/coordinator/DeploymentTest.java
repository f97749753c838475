package io.github.backfill.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * A quick static check of docker-compose.yml and the Dockerfiles: they parse and wire what a
 * distributed backfill needs. The deployment itself runs for real in {@code scripts/deployment-test}
 * (CI, with the local images of {@code scripts/docker images}).
 */
class DeploymentTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  private static String command(Map<String, Object> service) {
    Object command = service.get("command");
    return command instanceof List<?> list ? String.join(" ", list.stream().map(Object::toString).toList()) : String.valueOf(command);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeFileParsesAndWiresADistributedBackfill() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsOnlyKeys("source", "target", "loader", "coordinator", "worker");
    // Compose v1 (docker-compose 1.29) refuses a top-level name.
    assertThat(compose).containsOnlyKeys("x-backfill-env", "services");
    for (String db : List.of("source", "target", "loader")) {
      assertThat(service(compose, db).get("image")).isEqualTo("${TIMESCALEDB_IMAGE:-timescale/timescaledb-ha:pg17-ts2.19}");
    }
    for (String db : List.of("source", "target")) {
      assertThat(service(compose, db)).containsKey("healthcheck");
    }
    for (String tool : List.of("coordinator", "worker")) {
      assertThat(service(compose, tool).get("image")).isEqualTo("${BACKFILL_IMAGE:-timescaledb-backfill}");
    }
    String coordinator = command(service(compose, "coordinator"));
    String worker = command(service(compose, "worker"));
    assertThat(coordinator)
        .contains("timescaledb-backfill stage", "timescaledb-backfill copy", "timescaledb-backfill verify",
            "--cluster-name compose-backfill", "--local-workers 0");
    assertThat(worker)
        .contains("timescaledb-backfill worker", "--cluster-name compose-backfill", "--members coordinator:5701",
            "--metrics-port 9464");
    // Workers take their connection settings from their own environment, never from the bus.
    assertThat((Map<String, Object>) service(compose, "worker").get("environment"))
        .containsKeys("BACKFILL_SOURCE", "BACKFILL_TARGET");
    assertThat(worker).doesNotContain("postgres://");
    assertThat(service(compose, "worker")).doesNotContainKey("container_name").doesNotContainKey("ports");
    assertThat(service(compose, "coordinator").get("build")).isEqualTo(".");
    assertThat(Files.isExecutable(ROOT.resolve("deploy/load-sample.sh"))).isTrue();
  }

  @Test
  void theDockerfileBuildsTheFatJarAndRunsTheLauncher() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("mvn -B -q -DskipTests package", "coordinator/target/timescaledb-backfill.jar",
            "EXPOSE 5701 5801 9464", "ENTRYPOINT [\"timescaledb-backfill\"]", "USER backfill",
            "COPY deploy/cds-archive.sh", "COPY deploy/timescaledb-backfill.sh /usr/local/bin/timescaledb-backfill");
    // The image scripts/docker images builds without a registry runs the same way.
    assertThat(Files.readString(ROOT.resolve("deploy/local.Dockerfile")))
        .contains("timescaledb-backfill.jar", "EXPOSE 5701 5801 9464", "ENTRYPOINT [\"timescaledb-backfill\"]",
            "USER backfill", "cds-archive.sh", "COPY timescaledb-backfill.sh /usr/local/bin/timescaledb-backfill");
    assertThat(Files.isExecutable(ROOT.resolve("deploy/cds-archive.sh"))).isTrue();
    // Both images' command maps the archive their build made.
    Path command = ROOT.resolve("deploy/timescaledb-backfill.sh");
    assertThat(Files.isExecutable(command)).isTrue();
    assertThat(Files.readString(command)).contains("-XX:SharedArchiveFile=/opt/backfill/timescaledb-backfill.jsa");
  }
}
