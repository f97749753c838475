package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.common.testing.Tsl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The whole workflow over a hypertable whose schema, table and column names need quoting: double and
 * single quotes, spaces, capitals, accents, and a column named like a keyword. Every statement the
 * tool builds must quote them, and every value such as a text with quotes and a backslash must
 * arrive unchanged.
 */
class QuotedIdentifiersIT extends FreshDatabasesTest {
  static final String SCHEMA = "Ünïcode \"Schema\"";
  static final String TABLE = "Metrics 'Table'";
  /** {@code "Ünïcode ""Schema"""."Metrics 'Table'"}, as SQL names it. */
  static final String QUALIFIED = "\"Ünïcode \"\"Schema\"\"\".\"Metrics 'Table'\"";
  /**
   * The regular expression that selects it, matched case-insensitively against
   * {@code format('%I.%I', ...)}: "ü" matches "Ü" too.
   */
  static final String FILTER = "^\"ünïcode \"\"schema\"\"\"\\.\"metrics 'table'\"$";

  /** A text column whose name holds quotes and a backslash: {@code it's "quoted" \ text}. */
  static final String TEXT = "\"it's \"\"quoted\"\" \\ text\"";

  /**
   * The awkward hypertable, partitioned by time on {@code "Quoted" Col} (7-day chunks) and in two
   * space partitions on {@code MixedCase}; May 2023 hourly, 744 rows. A plainly named hypertable with
   * the same data lies beside it, which the filter must leave alone.
   */
  private void awkwardHypertable(TestDatabase db) {
    db.execute(
        "CREATE SCHEMA " + q(SCHEMA),
        "CREATE TABLE " + QUALIFIED + " (\"\"\"Quoted\"\" Col\" timestamptz NOT NULL,"
            + " \"Température\" float8, \"MixedCase\" text NOT NULL, \"select\" int,"
            + " " + TEXT + " text)",
        "SELECT create_hypertable(" + lit(QUALIFIED) + ", " + lit("\"Quoted\" Col") + ")",
        "SELECT add_dimension(" + lit(QUALIFIED) + ", " + lit("MixedCase") + ", number_partitions => 2)",
        "INSERT INTO " + QUALIFIED + " SELECT t, extract(day from t) + 0.5, 'Dev' || (extract(hour from t)::int % 4),"
            + " extract(hour from t), E'l''\"\\\\' || extract(hour from t)"
            + " FROM generate_series('2023-05-01'::timestamptz, '2023-05-31 23:00', '1 hour') t",
        "CREATE TABLE plain (time timestamptz NOT NULL, v int)",
        "SELECT create_hypertable('plain', 'time')",
        "INSERT INTO plain SELECT t, 1 FROM generate_series('2023-05-01'::timestamptz, '2023-05-31 23:00', '1 hour') t");
  }

  private long chunks(TestDatabase db, String hypertable) {
    return db.count("SELECT count(*) FROM show_chunks(" + lit(hypertable) + ")");
  }

  @Test
  void stageCopyVerifyStatusAndCleanQuoteEveryName() {
    awkwardHypertable(source);
    Skeleton.copy(source, target);
    assertThat(source.value("SELECT 'Ü' ~* 'ü'")).as("the server's default collation folds non-ASCII letters")
        .isEqualTo(true);
    long sourceChunks = chunks(source, QUALIFIED);
    assertThat(sourceChunks).as("5 weeks in 2 space partitions").isEqualTo(10);

    CliRun stage = run("stage", "--filter", FILTER, "--from", "2023-05-01", "--until", "2023-06-01");
    assertThat(stage.exitCode()).as(stage.stdout() + stage.stderr()).isZero();
    assertThat(stage.stdout()).contains("Staged 10 chunks to copy.");
    assertThat(target.rows("SELECT DISTINCT hypertable_schema::text, hypertable_name::text FROM __backfill.task"))
        .containsExactly(java.util.List.of(SCHEMA, TABLE));
    assertThat(chunks(target, QUALIFIED)).as("stage creates the target's chunks").isEqualTo(10);
    assertThat(target.count("SELECT count(*) FROM " + QUALIFIED)).as("probe rows are gone").isZero();

    CliRun json = CliRun.of("status", "--json", "--target", target.url());
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    JsonObject only = new JsonObject(json.stdout()).getJsonArray("hypertables").getJsonObject(0);
    assertThat(only.getString("schema")).isEqualTo(SCHEMA);
    assertThat(only.getString("name")).isEqualTo(TABLE);
    assertThat(only.getLong("staged")).isEqualTo(10);
    assertThat(only.getLong("pending")).isEqualTo(10);

    CliRun copy = run("copy", "--parallelism", "2");
    assertThat(copy.exitCode()).as(copy.stdout() + copy.stderr()).isZero();
    assertThat(copy.stdout()).contains("Copying 10 chunks with 2 workers");
    assertThat(target.count("SELECT count(*) FROM " + QUALIFIED)).isEqualTo(744);
    assertThat(chunks(target, QUALIFIED)).isEqualTo(10);
    assertThat(target.count("SELECT count(*) FROM plain")).as("the filter leaves it out").isZero();
    Rows.assertSame(source, target, "SELECT * FROM " + QUALIFIED);
    assertThat(target.string("SELECT " + TEXT + " FROM " + QUALIFIED + " ORDER BY 1 LIMIT 1"))
        .isEqualTo("l'\"\\0");
    assertThat(target.count("SELECT sum(copied_rows) FROM __backfill.task")).isEqualTo(744);

    CliRun verify = run("verify");
    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    assertThat(verify.stdout()).contains("Verifed 10 chunks in ").doesNotContain("Chunk verification failed");
    target.execute("UPDATE __backfill.task SET verified = NULL, verify_ok = NULL");
    CliRun deep = run("verify", "--deep");
    assertThat(deep.exitCode()).as(deep.stdout() + deep.stderr()).isZero();
    assertThat(deep.stdout()).contains("Verifed 10 chunks in ");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE verify_ok")).isEqualTo(10);

    CliRun table = CliRun.of("status", "--target", target.url());
    assertThat(table.exitCode()).as(table.stderr()).isZero();
    assertThat(table.stdout())
        .containsPattern("\n" + java.util.regex.Pattern.quote(QUALIFIED) + " +10 +10 +0 +10 +0 +744 ")
        .containsPattern("\ntotal +10 +10 +0 +10 +0 +744 ");
    JsonObject copied = new JsonObject(CliRun.of("status", "--json", "--target", target.url()).stdout());
    JsonArray hypertables = copied.getJsonArray("hypertables");
    assertThat(hypertables).hasSize(1);
    assertThat(hypertables.getJsonObject(0).getLong("rows")).isEqualTo(744);
    assertThat(hypertables.getJsonObject(0).getLong("verified")).isEqualTo(10);

    CliRun clean = CliRun.of("clean", "--target", target.url());
    assertThat(clean.exitCode()).as(clean.stderr()).isZero();
    assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
    assertThat(target.count("SELECT count(*) FROM " + QUALIFIED)).isEqualTo(744);
  }

  @Test
  void stageNamesAMismatchedHypertableAsTheFilterSeesIt() {
    awkwardHypertable(source);
    Skeleton.copy(source, target);
    target.execute("ALTER TABLE " + QUALIFIED + " DROP COLUMN \"select\"");

    CliRun stage = run("stage", "--filter", FILTER, "--until", "2023-06-01");

    assertThat(stage.exitCode()).as(stage.stderr()).isEqualTo(2);
    assertThat(stage.stderr())
        .startsWith("Error: Found issues between the source and target hypertables:\n- '" + QUALIFIED
            + "' columns mismatch:\n");
    assertThat(target.count("SELECT count(*) FROM pg_namespace WHERE nspname = '__backfill'")).isZero();
  }

  @Test
  void verifyFindsADifferenceInAnAwkwardColumn() {
    awkwardHypertable(source);
    Skeleton.copy(source, target);
    succeeds(run("stage", "--filter", FILTER, "--until", "2023-06-01"));
    succeeds(run("copy"));
    target.execute("UPDATE " + QUALIFIED + " SET \"Température\" = \"Température\" + 1000"
        + " WHERE \"\"\"Quoted\"\" Col\" = '2023-05-02 00:00+00'");

    CliRun verify = run("verify");

    assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isEqualTo(3);
    assertThat(verify.stdout()).contains("Chunk verification failed").contains("Température");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE NOT verify_ok")).isEqualTo(1);

    // Two rows of one chunk swap their texts: every count, minimum, maximum and sum stays; only
    // --deep sees it.
    target.execute("UPDATE " + QUALIFIED + " SET \"Température\" = \"Température\" - 1000"
            + " WHERE \"\"\"Quoted\"\" Col\" = '2023-05-02 00:00+00'",
        "UPDATE " + QUALIFIED + " SET " + TEXT + " = CASE \"select\" WHEN 1 THEN E'l''\"\\\\5' ELSE E'l''\"\\\\1' END"
            + " WHERE \"select\" IN (1, 5) AND \"\"\"Quoted\"\" Col\" >= '2023-05-08 00:00+00'"
            + " AND \"\"\"Quoted\"\" Col\" < '2023-05-09 00:00+00'",
        "UPDATE __backfill.task SET verified = NULL, verify_ok = NULL");
    assertThat(run("verify").exitCode()).isZero();
    target.execute("UPDATE __backfill.task SET verified = NULL, verify_ok = NULL");

    CliRun deep = run("verify", "--deep");

    assertThat(deep.exitCode()).as(deep.stdout() + deep.stderr()).isEqualTo(3);
    assertThat(deep.stdout()).contains("-row_hash: ");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE NOT verify_ok")).isEqualTo(1);
  }

  @Test
  void refreshCaggsOverAnAwkwardAggregate() {
    Tsl.assumeAvailable(source, target);
    awkwardHypertable(source);
    String view = q(SCHEMA) + ".\"Daily 'Agg' \"\"Ü\"\"\"";
    // Materialized up to 10 May when the skeleton is dumped; the source then refreshes the rest.
    source.execute(
        "CREATE MATERIALIZED VIEW " + view + " WITH (timescaledb.continuous) AS SELECT"
            + " time_bucket('1 day', \"\"\"Quoted\"\" Col\") AS \"Day \"\"Bucket\"\"\", \"MixedCase\","
            + " max(\"Température\") AS \"select\" FROM " + QUALIFIED + " GROUP BY 1, 2 WITH NO DATA",
        "CALL refresh_continuous_aggregate(" + lit(view) + ", NULL, '2023-05-10')");
    Skeleton.copy(source, target);
    source.execute("CALL refresh_continuous_aggregate(" + lit(view) + ", NULL, '2023-06-01')");
    // The filter selects the hypertable; --cascade-up adds the aggregate's materialization.
    CliRun stage = run("stage", "--filter", FILTER, "--cascade-up", "--until", "2023-06-01");
    succeeds(stage);
    assertThat(target.rows("SELECT DISTINCT hypertable_name::text FROM __backfill.task")).hasSize(2);
    succeeds(run("copy"));
    Rows.assertSame(source, target, "SELECT * FROM " + QUALIFIED);

    CliRun refresh = run("refresh-caggs", "--filter", "daily 'agg'");

    succeeds(refresh);
    assertThat(refresh.stdout()).contains("Refreshed continuous aggregates");
    assertThat(target.count("SELECT count(*) FROM " + view)).isEqualTo(31 * 4);
    Rows.assertSame(source, target, "SELECT * FROM " + view);
    succeeds(run("verify"));
  }

  private static void succeeds(CliRun run) {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
  }

  private static String q(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String lit(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
