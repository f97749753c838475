package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: every case of {@code docs/errors.md}, read from its tables and run against
 * real servers, so that the document stays true. Each case must exit with the code the table gives,
 * print exactly the table's {@code Error:} line on stderr (no stack trace, no password) and leave
 * every database as it was: schemas, relations, chunks, tasks and rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorCatalogueIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  /** A password no case's connection string may ever see echoed. */
  static final String WRONG_PASSWORD = "Wr0ng-Pa55";

  private static final Path DOCUMENT = TestServers.repositoryRoot().resolve("docs/errors.md");
  private static final String HEADER = "| case | command line | exit | message |";

  private static TestDatabase unstaged;
  private static TestDatabase plain;

  @BeforeAll
  static void databases() {
    TestDatabase source = dbs.source();
    TestDatabase target = dbs.target();
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    CliRun stage = CliRun.between(source, target, "stage", "--until", "2023-05-20");
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    unstaged = dbs.create(target.server(), target.name() + "_new");
    Skeleton.copy(source, unstaged);
    // Some server images install TimescaleDB in template1: take it out again.
    plain = new BackfillDatabases(false).create(target.server(), target.name() + "_plain");
    plain.execute("DROP EXTENSION IF EXISTS timescaledb");
  }

  @AfterAll
  static void dropOthers() {
    BackfillDatabases.drop(unstaged);
    BackfillDatabases.drop(plain);
  }

  /** One row of a catalogue table. */
  record Case(String name, List<String> args, int exit, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return rows(HEADER).stream()
        .map(cells -> new Case(cells.get(0), words(code(cells.get(1))), Integer.parseInt(cells.get(2)),
            code(cells.get(3))));
  }

  @Test
  @Order(1)
  void theCatalogueHoldsAtLeastFortyCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @Order(2)
  @MethodSource("cases")
  void isRefusedWithItsMessageAndExitCodeAndNothingWritten(Case c) {
    Map<String, String> before = snapshot();

    String[] args = c.args().stream().map(ErrorCatalogueIT::substitute).toArray(String[]::new);
    assertThat(String.join(" ", args) + substitute(c.message()))
        .as("every placeholder is known").doesNotContainPattern("\\$[A-Z]");

    CliRun run = CliRun.of(args);

    String error =
        run.stderr().lines().filter(line -> line.startsWith("Error: ")).findFirst().orElse(null);
    assertThat(error).as("stderr of %s:%n%s", c.args(), run.stderr()).isEqualTo(substitute(c.message()));
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(c.exit());
    assertThat(run.stderr()).doesNotContain("\tat ", "Exception", WRONG_PASSWORD);
    assertThat(run.stdout()).doesNotContain(WRONG_PASSWORD);
    assertThat(snapshot()).isEqualTo(before);
  }

  /**
   * A stage waits for the task table, which the test locks, while it holds the stage lock. clean must
   * refuse meanwhile; the stage then finishes, staging nothing new.
   */
  @Test
  @Order(3)
  void cleanWhileAStageRunsIsRefused() throws Exception {
    Map<String, String> before = snapshot();
    String[] stage = CliRun.args(dbs.source(), dbs.target(), "stage", "--until", "2023-05-20");

    int exit = whileHeldByAnotherProcess("clean while a stage runs", "__backfill.task", stage);

    assertThat(exit).isZero();
    assertThat(snapshot()).isEqualTo(before);
  }

  /**
   * A copy holds the target chunk it writes: the test locks that chunk first, so the copy waits in
   * the middle of its first chunk for as long as the test needs. clean must refuse meanwhile, and the
   * copy must still complete once the chunk is free.
   */
  @Test
  @Order(4) // last: the copy it lets finish changes the target the other cases share
  void cleanWhileACopyRunsIsRefused() throws Exception {
    TestDatabase source = dbs.source();
    TestDatabase target = dbs.target();
    String newestChunk =
        target.string("SELECT format('%I.%I', chunk_schema, chunk_name) FROM __backfill.task"
            + " ORDER BY priority LIMIT 1");

    int exit = whileHeldByAnotherProcess(
        "clean while a copy runs", newestChunk, CliRun.args(source, target, "copy", "-p", "1"));

    assertThat(exit).isZero();
    assertThat(target.count("SELECT count(*) FROM metrics"))
        .isEqualTo(source.count("SELECT count(*) FROM metrics WHERE time < '2023-05-20'"));
    // With the copy over, clean goes ahead.
    assertThat(CliRun.of("clean", "--target", target.url()).exitCode()).isZero();
  }

  /**
   * Locks {@code table} on the target, starts the tool with {@code args} in its own process, waits
   * until it waits for that lock, then runs the case {@code name} of the table of refusals that need
   * another process and checks its message, exit code and that the target's schemas, relations and
   * chunks stay as they were. Then frees the table and returns the process's exit code.
   */
  private static int whileHeldByAnotherProcess(String name, String table, String[] args) throws Exception {
    TestDatabase target = dbs.target();
    Case refusal = rows("| case | situation | command line | exit | message |").stream()
        .map(cells -> new Case(cells.get(0), words(code(cells.get(2))), Integer.parseInt(cells.get(3)),
            code(cells.get(4))))
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
    try (Connection holder = target.connect(); Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
      try (Launched process = Launched.start(args)) {
        Waits.await("the tool to wait for " + table, Duration.ofSeconds(50),
            () -> ToolSessions.count(target, ToolSessions.WAITING_FOR_A_LOCK) > 0);
        // The locked table cannot be read: no rows, no tasks.
        Map<String, String> before = snapshot(false);

        CliRun clean = CliRun.of(refusal.args().stream().map(ErrorCatalogueIT::substitute).toArray(String[]::new));

        assertThat(clean.stderr().lines().findFirst().orElse(null)).isEqualTo(substitute(refusal.message()));
        assertThat(clean.exitCode()).isEqualTo(refusal.exit());
        assertThat(snapshot(false)).isEqualTo(before);
        holder.rollback();
        int exit = process.exitCode(120);
        assertThat(exit).as(process.stdout() + process.stderr()).isNotNegative();
        return exit;
      }
    }
  }

  /** What a case must not change, per database: schemas, relations, chunks, tasks, rows. */
  private static Map<String, String> snapshot() {
    return snapshot(true);
  }

  /**
   * {@link #snapshot()}, without the rows and tasks when {@code readTables} is false (a table is
   * locked).
   */
  private static Map<String, String> snapshot(boolean readTables) {
    Map<String, String> state = new LinkedHashMap<>();
    for (TestDatabase db : List.of(dbs.source(), dbs.target(), unstaged)) {
      String tasks =
          !readTables ? ""
          : db.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'") == 0
              ? "no __backfill"
              : db.string("SELECT count(*) || ' tasks ' || md5(coalesce(string_agg(t::text, ',' ORDER BY"
                  + " priority), '')) FROM __backfill.task t");
      state.put(db.name(),
          db.string("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace")
              + "; " + db.count("SELECT count(*) FROM pg_class") + " relations; "
              + db.count("SELECT count(*) FROM _timescaledb_catalog.chunk") + " chunks; "
              + (readTables ? db.count("SELECT count(*) FROM metrics") + " rows; " : "") + tasks);
    }
    return state;
  }

  /** The placeholders of docs/errors.md. */
  static String substitute(String text) {
    TestDatabase source = dbs.source();
    TestDatabase target = dbs.target();
    return text
        .replace("$SOURCE_ADDRESS", source.settings().address())
        .replace("$TARGET_ADDRESS", target.settings().address())
        .replace("$TARGET_PORT", Integer.toString(target.settings().port()))
        .replace("$SOURCE_DB", source.name())
        .replace("$NEW_TARGET_DB", unstaged.name())
        .replace("$PLAIN_DB", plain.name())
        .replace("$TARGET_DB", target.name())
        .replace("$NEW_TARGET", unstaged.url())
        .replace("$SOURCE", source.url())
        .replace("$TARGET", target.url())
        .replace("$USER", source.settings().user())
        .replace("$PASSWORD", source.settings().password().orElse(""));
  }

  /** The cells of every row of the tables under {@code header}, in order. */
  static List<List<String>> rows(String header) {
    List<String> lines;
    try {
      lines = Files.readAllLines(DOCUMENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines) {
      if (line.equals(header)) {
        inTable = true;
      } else if (!line.startsWith("|")) {
        inTable = false;
      } else if (inTable && !line.startsWith("|---")) {
        rows.add(cells(line));
      }
    }
    return rows;
  }

  /** The cells of a table row; {@code \|} is a literal bar. */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 1; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (ch == '|') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    return cells;
  }

  /** The text of a code span: {@code `x`} or {@code `` x `` } (for text holding backticks). */
  static String code(String cell) {
    int ticks = 0;
    while (ticks < cell.length() && cell.charAt(ticks) == '`') {
      ticks++;
    }
    assertThat(ticks).as("a code span: %s", cell).isPositive();
    String inner = cell.substring(ticks, cell.length() - ticks);
    return ticks > 1 && inner.startsWith(" ") && inner.endsWith(" ")
        ? inner.substring(1, inner.length() - 1)
        : inner;
  }

  /**
   * Splits a command line at spaces; single quotes group (and may be empty: {@code ''}), and a
   * backslash takes the next character as it is.
   */
  static List<String> words(String commandLine) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean started = false;
    for (int i = 0; i < commandLine.length(); i++) {
      char ch = commandLine.charAt(i);
      if (ch == '\\' && i + 1 < commandLine.length()) {
        word.append(commandLine.charAt(++i));
        started = true;
      } else if (ch == '\'') {
        quoted = !quoted;
        started = true;
      } else if (ch == ' ' && !quoted) {
        if (started) {
          words.add(word.toString());
          word.setLength(0);
          started = false;
        }
      } else {
        word.append(ch);
        started = true;
      }
    }
    if (started) {
      words.add(word.toString());
    }
    return words;
  }
}
