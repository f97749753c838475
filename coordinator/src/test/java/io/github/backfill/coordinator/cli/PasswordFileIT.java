package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Processes;
import io.github.backfill.common.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The launcher logs in with a password from PGPASSFILE, as libpq would; never from an open file. */
class PasswordFileIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  @TempDir Path dir;

  @Test
  void aPasswordFileSparesThePasswordOnTheCommandLine() throws Exception {
    ConnectionSettings s = dbs.target().settings();
    String withoutPassword = "host=" + s.host() + " port=" + s.port() + " dbname=" + s.database() + " user=" + s.user();
    Path file = dir.resolve("pgpass");
    Files.writeString(file, "*:" + s.port() + ":*:" + s.user() + ":" + s.password().orElseThrow() + "\n");
    List<String> command = List.of(TestServers.repositoryRoot().resolve("timescaledb-backfill").toString(),
        "status", "--target", withoutPassword);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Processes.Result trusted = Processes.run(command, Map.of("PGPASSFILE", file.toString()), null);
    assertThat(trusted.exitCode()).as(trusted.stderr()).isZero();
    assertThat(trusted.stdout()).contains("Nothing staged");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Processes.Result open = Processes.run(command, Map.of("PGPASSFILE", file.toString()), null);
    assertThat(open.exitCode()).isEqualTo(1);
    assertThat(open.stderr())
        .contains("has group or world access; permissions should be u=rw (0600) or less")
        .contains("refused the login of user \"" + s.user() + "\"");
  }
}
