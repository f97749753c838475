package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the copy must get right about columns and rows: generated columns, another column order on
 * the target, values whose binary form cannot cross databases, and verify catching every kind of
 * drift. Also that concurrent workers and processes copy each chunk exactly once.
 */
class CopyColumnsIT extends FreshDatabasesTest {
  private void stageAndCopy(String until) {
    CliRun stage = run("stage", "--until", until);
    assertThat(stage.exitCode()).as(stage.stderr()).isZero();
    CliRun copy = run("copy", "-p", "2");
    assertThat(copy.exitCode()).as(copy.stdout() + copy.stderr()).isZero();
  }

  @Test
  void generatedColumnsAreComputedByTheTarget() {
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, a int, doubled int GENERATED ALWAYS AS (a * 2) STORED)",
        "SELECT create_hypertable('m', 'time')",
        "INSERT INTO m (time, a) SELECT t, extract(hour from t) FROM generate_series('2024-01-01'::timestamptz, '2024-01-20', '1 hour') t");
    Skeleton.copy(source, target);

    stageAndCopy("2024-02-01");

    Rows.assertSame(source, target, "SELECT * FROM m");
    assertThat(run("verify").exitCode()).isZero();
  }

  @Test
  void theTargetMayOrderColumnsDifferently() {
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device text, val float8, note text)",
        "SELECT create_hypertable('m', 'time')",
        "INSERT INTO m SELECT t, 'd' || extract(hour from t), extract(day from t), NULL FROM generate_series('2024-01-01'::timestamptz, '2024-01-20', '1 hour') t");
    target.execute(
        "CREATE TABLE m (note text, val float8, time timestamptz NOT NULL, device text)",
        "SELECT create_hypertable('m', 'time')");

    stageAndCopy("2024-02-01");

    Rows.assertSame(source, target, "SELECT time, device, val, note FROM m");
    assertThat(run("verify").exitCode()).isZero();
  }

  @Test
  void enumArraysAndTypesWithoutBinaryIoTravelAsText() {
    // An enum array's binary form embeds the enum's OID, which differs on the target; a base type
    // declared without send/receive functions has no binary form at all.
    source.execute(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TYPE plaintext",
        "CREATE FUNCTION plaintext_in(cstring) RETURNS plaintext LANGUAGE internal IMMUTABLE STRICT AS 'textin'",
        "CREATE FUNCTION plaintext_out(plaintext) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'textout'",
        "CREATE TYPE plaintext (INPUT = plaintext_in, OUTPUT = plaintext_out, LIKE = text)",
        "CREATE TABLE m (time timestamptz NOT NULL, moods mood[], current mood, label plaintext)",
        "SELECT create_hypertable('m', 'time')");
    Skeleton.copy(source, target);
    // A type created on the target in another order gets other OIDs than on the source.
    target.execute("CREATE TYPE filler AS ENUM ('x')");
    source.execute(
        "INSERT INTO m SELECT t, ARRAY['sad', 'happy']::mood[], 'ok', ('label ' || t)::text::plaintext"
            + " FROM generate_series('2024-01-01'::timestamptz, '2024-01-10', '1 hour') t");
    assertThat(source.count("SELECT 'mood'::regtype::oid")).isNotEqualTo(target.count("SELECT 'mood'::regtype::oid"));

    stageAndCopy("2024-02-01");

    Rows.assertSame(source, target, "SELECT time, moods::text, current::text, label::text FROM m");
    assertThat(run("verify").exitCode()).isZero();
  }

  @Test
  void verifyCatchesExtraMissingChangedAndDuplicatedRows() {
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val int)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '1 day')",
        "INSERT INTO m SELECT t, d, d * 10 FROM generate_series('2024-01-01'::timestamptz, '2024-01-04 23:00', '1 hour') t,"
            + " generate_series(1, 5) d");
    Skeleton.copy(source, target);
    stageAndCopy("2024-01-05");
    CliRun clean = run("verify", "--deep");
    assertThat(clean.exitCode()).as(clean.stdout()).isZero();

    // Day 1: an extra row; day 2: a missing row; day 3: a changed value that keeps every count,
    // minimum, maximum and sum; day 4: one row duplicated and another removed, same counts again.
    target.execute(
        "INSERT INTO m VALUES ('2024-01-01 05:30', 3, 30)",
        "DELETE FROM m WHERE time = '2024-01-02 07:00' AND device = 2",
        "UPDATE m SET val = CASE device WHEN 2 THEN 30 ELSE 20 END"
            + " WHERE time = '2024-01-03 10:00' AND device IN (2, 3)",
        "DELETE FROM m WHERE time = '2024-01-04 11:00' AND device = 3",
        "INSERT INTO m VALUES ('2024-01-04 12:00', 3, 30)");
    target.execute("UPDATE __backfill.task SET verified = NULL");

    CliRun aggregates = run("verify");
    assertThat(aggregates.exitCode()).isEqualTo(3);
    assertThat(aggregates.stdout()).contains("2 chunks differ between source and target.");

    target.execute("UPDATE __backfill.task SET verified = NULL");
    CliRun deep = run("verify", "--deep");
    assertThat(deep.exitCode()).isEqualTo(3);
    assertThat(deep.stdout()).contains("4 chunks differ between source and target.").contains("-row_hash: ");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE NOT verify_ok")).isEqualTo(4);
  }

  @Test
  void verifySumsIntervalAndMoneyColumnsAndJsonSumsUpARun() {
    // The original parsed sums as floats and silently ignored interval and money sums.
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, took interval, price money)",
        "SELECT create_hypertable('m', 'time')",
        "INSERT INTO m SELECT t, make_interval(secs => extract(hour from t)), extract(hour from t)::numeric::money"
            + " FROM generate_series('2024-01-01'::timestamptz, '2024-01-02 23:00', '1 hour') t");
    Skeleton.copy(source, target);
    assertThat(run("stage", "--until", "2024-02-01").exitCode()).isZero();

    CliRun copy = run("copy", "--json");
    assertThat(copy.exitCode()).isZero();
    io.vertx.core.json.JsonObject summary = new io.vertx.core.json.JsonObject(copy.stdout());
    assertThat(summary.fieldNames()).containsExactlyInAnyOrder("chunks", "rows", "bytes", "seconds", "skipped", "failed");
    assertThat(summary.getLong("chunks")).isEqualTo(1);
    assertThat(summary.getLong("rows")).isEqualTo(48);
    assertThat(summary.getLong("bytes")).isPositive();
    assertThat(summary.getLong("failed")).isZero();

    // Same count, minimum and maximum on the target; only the sums differ.
    target.execute(
        "UPDATE m SET took = took + interval '1 second', price = price + 1::money"
            + " WHERE time = '2024-01-01 05:00'");
    CliRun verify = run("verify", "--json");
    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(new io.vertx.core.json.JsonObject(verify.stdout()).getLong("differences")).isEqualTo(1);
    assertThat(target.string("SELECT verify_message FROM __backfill.task"))
        .contains("-  price: $552.00\n-  took: 00:09:12\n+  price: $553.00\n+  took: 00:09:13");
  }

  @Test
  void aThousandChunksAreCopiedExactlyOnceByManyWorkersAndTwoProcesses() throws Exception {
    source.execute(
        "CREATE TABLE e (t bigint NOT NULL, v int NOT NULL)",
        "SELECT create_hypertable('e', 't', chunk_time_interval => 10)");
    for (int start = 0; start < 10_000; start += 2_500) {
      source.execute("INSERT INTO e SELECT g, g % 13 FROM generate_series(" + start + ", " + (start + 2_499) + ") g");
    }
    Skeleton.copy(source, target);
    assertThat(run("stage", "--until", "10000").stdout()).contains("Staged 1000 chunks to copy.");

    CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> run("copy", "-p", "8"));
    CompletableFuture<CliRun> second = CompletableFuture.supplyAsync(() -> run("copy", "-p", "8"));
    CliRun a = first.get();
    CliRun b = second.get();

    assertThat(a.exitCode()).as(a.stderr()).isZero();
    assertThat(b.exitCode()).as(b.stderr()).isZero();
    Rows.assertSame(source, target, "SELECT * FROM e");
    assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL")).isZero();
    assertThat(target.count("SELECT sum(copied_rows) FROM __backfill.task")).isEqualTo(10_000);
    assertThat(target.count("SELECT max(attempts) FROM __backfill.task")).isEqualTo(1);
    long copiedByA = a.stdout().lines().filter(l -> l.contains("] Copied chunk")).count();
    long copiedByB = b.stdout().lines().filter(l -> l.contains("] Copied chunk")).count();
    assertThat(copiedByA + copiedByB).isEqualTo(1000);
  }
}
