package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassFileTest {
  @TempDir Path dir;

  private Path passfile(String content, String permissions) throws IOException {
    Path file = dir.resolve("pgpass");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void findsTheFirstMatchingLineWithWildcardsAndEscapes() throws IOException {
    Path file = passfile(
        "# comment\n"
            + "other:5432:*:alice:wrong\n"
            + "db.example.com:5432:app:alice:first\\:part\\\\x\n"
            + "*:*:*:alice:fallback\n",
        "rw-------");
    assertThat(PassFile.lookup(file, "db.example.com", 5432, "app", "alice")).contains("first:part\\x");
    assertThat(PassFile.lookup(file, "db.example.com", 6543, "app", "alice")).contains("fallback");
    assertThat(PassFile.lookup(file, "db.example.com", 5432, "app", "bob")).isEmpty();
  }

  @Test
  void aFileOthersMayReadIsIgnored() throws IOException {
    Path file = passfile("*:*:*:*:secret\n", "rw-r--r--");
    assertThat(PassFile.lookup(file, "h", 1, "d", "u")).isEmpty();
  }

  @Test
  void connectionStringsTakeWhatTheyLackFromTheEnvironmentAndThePasswordFile() throws IOException {
    Path file = passfile("dbhost:6000:sales:carol:from-file\n", "rw-------");
    Map<String, String> env = Map.of(
        "PGHOST", "dbhost", "PGPORT", "6000", "PGUSER", "carol", "PGSSLMODE", "require",
        "PGAPPNAME", "nightly", "PGPASSFILE", file.toString());

    ConnectionSettings settings = ConnectionSettings.parse(ServerRole.SOURCE, "dbname=sales", env);

    assertThat(settings.host()).isEqualTo("dbhost");
    assertThat(settings.port()).isEqualTo(6000);
    assertThat(settings.user()).isEqualTo("carol");
    assertThat(settings.database()).isEqualTo("sales");
    assertThat(settings.sslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(settings.applicationName()).isEqualTo("nightly");
    assertThat(settings.password()).contains("from-file");
  }

  @Test
  void whatTheStringSaysWinsOverTheEnvironment() {
    Map<String, String> env = Map.of("PGHOST", "envhost", "PGPASSWORD", "env-password", "PGPASSFILE", "/nonexistent");
    ConnectionSettings settings =
        ConnectionSettings.parse(ServerRole.TARGET, "postgres://u:url-password@urlhost/db", env);
    assertThat(settings.host()).isEqualTo("urlhost");
    assertThat(settings.password()).contains("url-password");
    assertThat(ConnectionSettings.parse(ServerRole.TARGET, "postgres://u@urlhost/db", env).password())
        .contains("env-password");
  }
}
