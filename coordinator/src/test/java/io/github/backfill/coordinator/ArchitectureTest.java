package io.github.backfill.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Verticles run on the event loop and must never block it: they may not touch JDBC. Blocking work
 * lives in the worker's task runner, which verticles call through a worker executor.
 */
class ArchitectureTest {
  private static List<Path> verticles() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> read(p).contains("extends VerticleBase"))
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void verticlesNeverImportJdbc() throws IOException {
    List<Path> verticles = verticles();
    assertThat(verticles)
        .extracting(p -> p.getFileName().toString())
        .contains("CoordinatorVerticle.java", "WorkerVerticle.java");
    for (Path verticle : verticles) {
      assertThat(read(verticle))
          .as(verticle.toString())
          .doesNotContainPattern("import\\s+(static\\s+)?java\\.sql\\.")
          .doesNotContainPattern("import\\s+(static\\s+)?org\\.postgresql\\.")
          .doesNotContain("java.sql.")
          .doesNotContain("org.postgresql.");
    }
  }
}
