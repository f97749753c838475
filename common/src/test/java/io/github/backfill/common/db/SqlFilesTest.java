package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqlFilesTest {
  private static final Pattern VARIANT = Pattern.compile("([a-z_]+)\\.2\\.(\\d+)\\.sql");
  private static final Pattern HEADER =
      Pattern.compile("-- TimescaleDB 2\\.(\\d+)(?: to 2\\.(\\d+)| and later)?: .+");

  @Test
  void everyFileHasAConstantAndEveryConstantAFile() throws IOException, URISyntaxException {
    var constants =
        Arrays.stream(Sql.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    var statements = new TreeSet<String>();
    for (String file : files()) {
      Matcher variant = VARIANT.matcher(file);
      statements.add(variant.matches() ? variant.group(1) : file.replaceFirst("\\.sql$", ""));
    }
    assertThat(statements).isEqualTo(new TreeSet<>(constants));
  }

  @Test
  void aStatementHasOneFileOrVariantsFromTheOldestSupportedReleaseEachNamingItsRange()
      throws IOException, URISyntaxException {
    Map<String, List<Integer>> variants = new TreeMap<>();
    List<String> files = files();
    for (String file : files) {
      Matcher variant = VARIANT.matcher(file);
      if (variant.matches()) {
        variants.computeIfAbsent(variant.group(1), k -> new ArrayList<>()).add(Integer.parseInt(variant.group(2)));
      }
    }
    assertThat(variants).isNotEmpty();
    for (var entry : variants.entrySet()) {
      String name = entry.getKey();
      List<Integer> minors = entry.getValue().stream().sorted().toList();
      assertThat(files).as(name + " has variants and a plain file").doesNotContain(name + ".sql");
      assertThat(minors.get(0)).as(name + "'s oldest variant").isEqualTo(TimescaleVersion.OLDEST.minor());
      for (int i = 0; i < minors.size(); i++) {
        String file = name + ".2." + minors.get(i) + ".sql";
        String header = read(file).lines().findFirst().orElseThrow();
        Matcher range = HEADER.matcher(header);
        assertThat(range.matches()).as(file + " opens with its range: " + header).isTrue();
        assertThat(Integer.parseInt(range.group(1))).as(file + "'s first release").isEqualTo(minors.get(i));
        boolean last = i == minors.size() - 1;
        if (last) {
          assertThat(header).as(file + " serves every later release").contains(" and later: ");
        } else {
          int to = range.group(2) != null ? Integer.parseInt(range.group(2)) : Integer.parseInt(range.group(1));
          assertThat(header).as(file).doesNotContain(" and later: ");
          assertThat(to).as(file + "'s last release").isEqualTo(minors.get(i + 1) - 1);
        }
      }
    }
  }

  @Test
  void everyReleasePicksTheVariantThatServesIt() {
    assertThat(Sql.STAGE_CHUNKS.hasVariants()).isTrue();
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 17, 0))).startsWith("-- TimescaleDB 2.17 to 2.25:");
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 25, 2))).startsWith("-- TimescaleDB 2.17 to 2.25:");
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 26, 0))).startsWith("-- TimescaleDB 2.26 to 2.27:");
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 28, 3))).startsWith("-- TimescaleDB 2.28:");
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 29, 0))).startsWith("-- TimescaleDB 2.29 and later:");
    assertThat(Sql.STAGE_CHUNKS.text(new TimescaleVersion(2, 40, 1))).startsWith("-- TimescaleDB 2.29 and later:");
    assertThat(Sql.SERVER_INFO.hasVariants()).isFalse();
    assertThat(Sql.SERVER_INFO.text(new TimescaleVersion(2, 29, 0))).isEqualTo(Sql.SERVER_INFO.text());
    assertThatThrownBy(Sql.STAGE_CHUNKS::text)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stage_chunks differs between TimescaleDB releases");
  }

  @Test
  void everyStatementOpensWithACommentNamingItsParameters() {
    for (Sql sql : Sql.values()) {
      for (int minor = TimescaleVersion.OLDEST.minor(); minor <= TimescaleVersion.NEWEST_TESTED.minor(); minor++) {
        assertThat(sql.text(new TimescaleVersion(2, minor, 0)))
            .as(sql.name() + " for 2." + minor)
            .startsWith("--")
            .containsPattern("Parameters( \\(JDBC\\))?:");
      }
    }
  }

  @Test
  void quotesIdentifiersAndLiterals() {
    assertThat(Sql.identifier("My \"odd\" name")).isEqualTo("\"My \"\"odd\"\" name\"");
    assertThat(Sql.qualified("public", "Métriques")).isEqualTo("\"public\".\"Métriques\"");
    assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
    assertThat(Sql.literal("a\\b")).isEqualTo("E'a\\\\b'");
  }

  private static List<String> files() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(dir().resolve(file));
    } catch (IOException | URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static Path dir() throws URISyntaxException {
    return Path.of(Sql.class.getClassLoader().getResource("sql").toURI());
  }
}
