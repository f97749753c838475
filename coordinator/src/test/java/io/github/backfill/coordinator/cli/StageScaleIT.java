package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staging 10,000 chunks, 4,000 of them missing on the target, succeeds: the chunk creations commit
 * in batches small enough for the servers' lock tables, the source holds no chunk's lock past its
 * own query, and no step holds the event loop.
 */
class StageScaleIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final int BEFORE_DUMP = 6_000;
  private static final int AFTER_DUMP = 4_000;

  private static void addChunks(TestDatabase db, int from, int count) {
    // One chunk per value; 500 chunks per transaction keeps chunk creation within the lock table.
    for (int start = from; start < from + count; start += 500) {
      db.execute(
          "INSERT INTO events SELECT g, g % 7 FROM generate_series(" + start + ", "
              + (Math.min(start + 500, from + count) - 1) + ") g");
    }
  }

  @Test
  void stagesTenThousandChunksCreatingFourThousand() throws Exception {
    TestDatabase source = dbs.source();
    TestDatabase target = dbs.target();
    source.execute(
        "CREATE TABLE events (t bigint NOT NULL, v int NOT NULL)",
        "SELECT create_hypertable('events', 't', chunk_time_interval => 1)");
    addChunks(source, 0, BEFORE_DUMP);
    Skeleton.copy(source, target);
    addChunks(source, BEFORE_DUMP, AFTER_DUMP);

    long started = System.nanoTime();
    CliRun run;
    try (BlockedThreads blocked = new BlockedThreads(); ChunkLocks sourceLocks = new ChunkLocks(source)) {
      run = CliRun.of("stage", "--source", source.url(), "--target", target.url(), "--until", "1000000");
      // Planning 10,000 chunks is work in their number: none of it may hold the event loop.
      assertThat(blocked.warnings()).isEmpty();
      // The probe rows of the 4,000 source chunks are read 100 chunks a query, and each query holds
      // its chunks' locks (a chunk and its index) for itself only: one transaction holding them all
      // overflows a server's lock table (about 6,400 locks at PostgreSQL's defaults), and a source
      // has 100,000 chunks.
      assertThat(sourceLocks.samples()).as("samples of the stage's source session").isGreaterThan(10);
      assertThat(sourceLocks.most()).as("chunk locks the stage's source session held at once").isLessThanOrEqualTo(200);
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000;
    System.err.println("staging 10,000 chunks (4,000 created) took " + seconds + " s");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Created 4000 chunks on the target that it lacked.")
        .contains("Staged 10000 chunks to copy.");
    assertThat(target.count("SELECT count(*) FROM __backfill.task")).isEqualTo(10_000);
    assertThat(target.count("SELECT count(*) FROM show_chunks('events')")).isEqualTo(10_000);
    assertThat(target.count("SELECT count(*) FROM events")).isZero();
    // Newest first: the highest time gets priority 1.
    assertThat(target.string("SELECT dimensions->0->>'range_start' FROM __backfill.task ORDER BY priority LIMIT 1"))
        .isEqualTo("9999");

    CliRun again =
        CliRun.of("stage", "--source", source.url(), "--target", target.url(), "--until", "1000000");
    assertThat(again.stdout()).contains("Skipping 10000 chunks that were already staged.");
  }
}
