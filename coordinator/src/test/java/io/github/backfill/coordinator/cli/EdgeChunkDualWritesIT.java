package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.Tsl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dual-writes into the edge chunk while it is copied: none is lost, none deadlocks, and how long a
 * write waits is measured and printed (the figures in docs/dual-writes.md come from here). Timing is
 * reported, never asserted: these machines are shared.
 */
class EdgeChunkDualWritesIT extends FreshDatabasesTest {
  private static final int ROWS = 400_000;
  private static final String UNTIL = "2024-01-15";

  @BeforeEach
  void oneThirtyDayChunk() {
    // One 30-day chunk, [2023-12-19, 2024-01-18), holds all rows and the dual-writes; --until cuts it.
    source.execute(
        "CREATE TABLE m (time timestamptz NOT NULL, device int, val float8)",
        "SELECT create_hypertable('m', 'time', chunk_time_interval => interval '30 days')",
        "INSERT INTO m SELECT '2024-01-01'::timestamptz + g * interval '3 seconds', g % 50, g FROM generate_series(1, " + ROWS + ") g");
  }

  /** The application: writes one row after --until into the same chunk, to both sides, every 5 ms. */
  private final class DualWriter implements Runnable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private volatile Exception failure;
    private int written;

    @Override
    public void run() {
      try (Connection s = source.connect(); Connection t = target.connect();
          PreparedStatement a = s.prepareStatement("INSERT INTO m VALUES (?, -1, ?)");
          PreparedStatement b = t.prepareStatement("INSERT INTO m VALUES (?, -1, ?)")) {
        Instant from = Instant.parse("2024-01-16T00:00:00Z");
        while (running.get()) {
          Timestamp time = Timestamp.from(from.plusSeconds(written));
          for (PreparedStatement insert : List.of(a, b)) {
            insert.setTimestamp(1, time);
            insert.setDouble(2, written);
          }
          a.executeUpdate();
          long started = System.nanoTime();
          b.executeUpdate();
          waits.add((System.nanoTime() - started) / 1_000_000);
          written++;
          Thread.sleep(5);
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    String summary() {
      List<Long> sorted = new ArrayList<>(waits);
      Collections.sort(sorted);
      return written + " dual-writes, target insert wait: median " + sorted.get(sorted.size() / 2) + " ms, p99 "
          + sorted.get((int) (sorted.size() * 0.99)) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
    }
  }

  private String copyWithDualWrites(String label) throws Exception {
    assertThat(run("stage", "--until", UNTIL).exitCode()).isZero();
    DualWriter writer = new DualWriter();
    Thread thread = new Thread(writer);
    thread.start();
    Thread.sleep(300);
    long started = System.nanoTime();
    CliRun copy = run("copy");
    long copyMillis = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(300);
    writer.running.set(false);
    thread.join();
    assertThat(writer.failure).isNull();
    assertThat(copy.exitCode()).as(copy.stderr()).isZero();
    String report = label + ": copy of the edge chunk took " + copyMillis + " ms; " + writer.summary();
    System.err.println("DUAL-WRITES " + report);
    // Nothing lost: the source's rows before --until, and every dual-written row, on both sides.
    Rows.assertSame(source, target, "SELECT * FROM m");
    assertThat(target.count("SELECT count(*) FROM m WHERE device = -1")).isEqualTo(writer.written);
    return report;
  }

  @Test
  void uncompressedEdgeChunk() throws Exception {
    Skeleton.copy(source, target);
    copyWithDualWrites("rowstore edge chunk");
  }

  @Test
  void compressedEdgeChunk() throws Exception {
    Tsl.assumeAvailable(source, target);
    source.execute("ALTER TABLE m SET (timescaledb.compress, timescaledb.compress_segmentby = 'device')",
        "SELECT compress_chunk(c) FROM show_chunks('m') c");
    Skeleton.copy(source, target);
    copyWithDualWrites("compressed edge chunk (decompressed, copied, compressed again)");
    assertThat(target.count("SELECT count(*) FROM timescaledb_information.chunks WHERE is_compressed")).isEqualTo(1);
  }
}
