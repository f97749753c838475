package io.github.backfill.coordinator.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which pg_dump schema runs: the choice alone, over programs that answer {@code --version} as
 * pg_dump does (what they dump is SchemaIT's, with real ones).
 */
class PgDumpTest {
  @TempDir Path dir;

  private Path program(String name, String versionLine) throws IOException {
    Path bin = Files.createDirectories(dir.resolve(name));
    Path program = bin.resolve("pg_dump");
    Files.writeString(program, "#!/bin/sh\necho '" + versionLine + "'\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    return program;
  }

  @Test
  void theNewestOnPathOfTheSourcesMajorOrLaterIsChosen() throws IOException {
    Path old = program("a", "pg_dump (PostgreSQL) 15.4");
    Path newest = program("b", "pg_dump (PostgreSQL) 18.1 (Debian 18.1-1)");
    Path middle = program("c", "pg_dump (PostgreSQL) 17.2");
    String path = String.join(":", old.getParent().toString(), newest.getParent().toString(), middle.getParent().toString());

    PgDump chosen = PgDump.locate(Map.of("PATH", path), 17);

    assertThat(chosen.major()).isEqualTo(18);
    assertThat(chosen.describe()).isEqualTo("pg_dump 18.1 (" + newest + ")");
  }

  @Test
  void theVariableWinsAndMustBeRecentEnough() throws IOException {
    Path named = program("named", "pg_dump (PostgreSQL) 16.9");
    Path newer = program("newer", "pg_dump (PostgreSQL) 18.1");

    assertThat(PgDump.locate(Map.of(PgDump.VARIABLE, named.toString(), "PATH", newer.getParent().toString()), 16)
        .program()).isEqualTo(named);
    assertThatThrownBy(() -> PgDump.locate(Map.of(PgDump.VARIABLE, named.toString()), 17))
        .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("BACKFILL_PG_DUMP names pg_dump 16.9 (" + named + "), which cannot dump the source's"
            + " PostgreSQL 17. Point it at PostgreSQL 17's pg_dump or a later one.");
    assertThatThrownBy(() -> PgDump.locate(Map.of(PgDump.VARIABLE, dir.resolve("absent").toString()), 17))
        .isInstanceOf(BackfillException.class)
        .hasMessage("BACKFILL_PG_DUMP=" + dir.resolve("absent") + " is not a pg_dump that runs (`"
            + dir.resolve("absent") + " --version` failed). Point it at PostgreSQL 17's pg_dump or a"
            + " later one, or unset it.");
  }

  @Test
  void noneRecentEnoughIsAnExit2ErrorNamingWhatToInstall() throws IOException {
    Path old = program("old", "pg_dump (PostgreSQL) 15.4");

    // 99: newer than any pg_dump this machine's usual directories may hold.
    assertThatThrownBy(() -> PgDump.locate(Map.of("PATH", old.getParent().toString()), 99))
        .isInstanceOfSatisfying(BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageStartingWith("schema needs pg_dump of PostgreSQL 99 or later, the source's major, and found only"
            + " pg_dump 15.4 (" + old + ")")
        .hasMessageEndingWith(" on PATH and in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin,"
            + " /opt/homebrew/opt/postgresql@*/bin, /usr/local/opt/postgresql@*/bin, /usr/local/pgsql/bin."
            + " Install PostgreSQL 99's client programs (Debian and Ubuntu: postgresql-client-99 from"
            + " apt.postgresql.org), or set BACKFILL_PG_DUMP to such a pg_dump.");
  }
}
