package io.github.backfill.coordinator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run behind the launcher's class-data-sharing archive: {@code java
 * -XX:DumpLoadedClassList=... -jar timescaledb-backfill.jar --startup-training} loads the classes
 * that the commands load, and the launcher archives that list (docs/benchmarks.md, "Start-up").
 * Needs no server: each command's help, then {@code status}, {@code clean}, {@code copy} and
 * {@code verify} against a closed port, {@link Prestart}'s hash and the reactive client's codec
 * tables, then the classes of the data path that such a run never reaches, loaded without being
 * initialised. Hazelcast's classes stay out: only clustered runs load them.
 */
final class StartupTraining {
  static final String FLAG = "--startup-training";

  /**
   * What a run against a closed port never reaches, as jar entry prefixes: the tool's own task and
   * phase code, PgJDBC (the data path), SCRAM and the reactive client's codec. The rest (picocli,
   * logback, Vert.x, netty, Micrometer) the commands above load themselves; loading all of netty and
   * Prometheus made the archive twice the size and took three times as long.
   */
  private static final List<String> PACKAGES =
      List.of(
          "io/github/backfill/",
          "io/vertx/pgclient/",
          "io/vertx/sqlclient/",
          "com/ongres/",
          "org/postgresql/core/",
          "org/postgresql/jdbc/",
          "org/postgresql/copy/",
          "org/postgresql/util/");

  /**
   * Classes whose initialisers build the tables that every session's first query reads, each entry a
   * lambda (the reactive client's type codecs: 76 lambdas, archived once initialised here).
   */
  private static final List<String> INITIALISED =
      List.of("io.vertx.pgclient.impl.codec.DataType", "io.vertx.pgclient.impl.codec.DataTypeCodec");

  private StartupTraining() {}

  static int run() {
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    String closed = "postgres://backfill@127.0.0.1:1/backfill?connect_timeout=1";
    Main.execute(new String[] {"--help"}, quiet, quiet);
    for (String command : List.of("schema", "stage", "copy", "verify", "refresh-caggs", "status", "clean", "worker", "demo")) {
      Main.execute(new String[] {command, "--help"}, quiet, quiet);
    }
    Main.execute(new String[] {"status", "--target", closed}, quiet, quiet);
    Main.execute(new String[] {"clean", "--target", closed}, quiet, quiet);
    Main.execute(new String[] {"copy", "--source", closed, "--target", closed, "--json"}, quiet, quiet);
    Main.execute(new String[] {"verify", "--source", closed, "--target", closed, "--json"}, quiet, quiet);
    Prestart.hashOnce();
    for (String name : INITIALISED) {
      try {
        Class.forName(name, true, StartupTraining.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // Another version of the client: the archive goes without.
      }
    }
    loadLibraries();
    return 0;
  }

  private static void loadLibraries() {
    Path jar;
    try {
      jar = Path.of(StartupTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return;
    }
    if (!jar.toString().endsWith(".jar")) {
      return;
    }
    ClassLoader loader = StartupTraining.class.getClassLoader();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/") && PACKAGES.stream().anyMatch(name::startsWith)) {
          try {
            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
          } catch (Throwable optionalDependencyMissing) {
            // A class whose optional dependency is not in the jar: the commands never load it.
          }
        }
      }
    } catch (IOException e) {
      // No archive list beyond what the commands loaded.
    }
  }
}
