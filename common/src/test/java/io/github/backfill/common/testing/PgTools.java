package io.github.backfill.common.testing;

import io.github.backfill.common.db.ConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the local servers' PostgreSQL client programs ({@code pg_dump}, {@code psql}) against a test database. The
 * host's own {@code pg_dump} may be older than the servers and refuse them, so by default this uses
 * the one in the chroot of {@code scripts/timescaledb}; {@code BACKFILL_PG_BIN} names another
 * directory holding them.
 */
public interface PgTools {
  /** Runs {@code program} with {@code args} against {@code database}, feeding {@code stdin}. */
  Processes.Result run(String program, ConnectionSettings database, String stdin, String... args);

  /** The tools of this machine: {@code BACKFILL_PG_BIN}, else the local servers' chroot. */
  static PgTools local() {
    String bin = System.getenv("BACKFILL_PG_BIN");
    return (program, database, stdin, args) -> {
      List<String> command = new ArrayList<>();
      if (bin != null && !bin.isBlank()) {
        command.add(Path.of(bin, program).toString());
      } else {
        Path script = TestServers.repositoryRoot().resolve("scripts/timescaledb");
        if (!Files.isExecutable(script)) {
          throw new IllegalStateException("set BACKFILL_PG_BIN to a directory with the servers' PostgreSQL " + program);
        }
        command.add(script.toString());
        command.add("pg_bin");
        command.add(program);
      }
      command.addAll(List.of(args));
      return Processes.run(command, environment(database), stdin);
    };
  }

  /** libpq's environment for {@code database}: the password never appears on a command line. */
  static Map<String, String> environment(ConnectionSettings database) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PGHOST", database.host());
    env.put("PGPORT", Integer.toString(database.port()));
    env.put("PGDATABASE", database.database());
    env.put("PGUSER", database.user());
    env.put("PGSSLMODE", database.sslMode().value());
    database.password().ifPresent(p -> env.put("PGPASSWORD", p));
    return env;
  }
}
