package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqlFilesTest {
  @Test
  void everyFileHasAConstantAndEveryConstantAFile() throws IOException, URISyntaxException {
    Path dir = Path.of(Sql.class.getClassLoader().getResource("sql").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      var fileNames = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
      var constantFiles =
          Arrays.stream(Sql.values())
              .map(s -> s.name().toLowerCase(Locale.ROOT) + ".sql")
              .collect(Collectors.toSet());
      assertThat(fileNames).isEqualTo(constantFiles);
    }
  }

  @Test
  void everyStatementOpensWithACommentNamingItsParameters() {
    for (Sql sql : Sql.values()) {
      assertThat(sql.text()).as(sql.path()).startsWith("--").containsPattern("Parameters( \\(JDBC\\))?:");
    }
  }

  @Test
  void quotesIdentifiersAndLiterals() {
    assertThat(Sql.identifier("My \"odd\" name")).isEqualTo("\"My \"\"odd\"\" name\"");
    assertThat(Sql.qualified("public", "Métriques")).isEqualTo("\"public\".\"Métriques\"");
    assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
    assertThat(Sql.literal("a\\b")).isEqualTo("E'a\\\\b'");
  }
}
