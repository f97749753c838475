package io.github.backfill.coordinator.cli;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches, while it is open, the chunk locks that the tool's sessions hold on one database: every
 * 20 ms it counts, per session of the tool, the relation locks in TimescaleDB's chunk schema, and
 * keeps the largest count seen.
 */
final class ChunkLocks implements AutoCloseable {
  private static final String COUNT =
      """
      SELECT count(*) FILTER (WHERE n.nspname = '_timescaledb_internal') AS chunk_locks
      FROM pg_stat_activity a
      LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'relation'
      LEFT JOIN pg_class c ON c.oid = l.relation
      LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.datname = current_database() AND a.application_name = ? AND a.pid <> pg_backend_pid()
      GROUP BY a.pid
      """;

  private final Connection connection;
  private final Thread thread;
  private final AtomicInteger most = new AtomicInteger();
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean open = true;
  private volatile Exception failure;

  ChunkLocks(TestDatabase db) throws SQLException {
    connection = db.connect();
    PreparedStatement count = connection.prepareStatement(COUNT);
    count.setString(1, ConnectionSettings.DEFAULT_APPLICATION_NAME);
    thread = new Thread(() -> watch(count), "chunk-locks");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch(PreparedStatement count) {
    try {
      while (open) {
        try (ResultSet rows = count.executeQuery()) {
          while (rows.next()) {
            samples.incrementAndGet();
            most.accumulateAndGet(rows.getInt("chunk_locks"), Math::max);
          }
        }
        Thread.sleep(20);
      }
    } catch (SQLException | InterruptedException e) {
      if (open) {
        failure = e;
      }
    }
  }

  /** The most chunk locks one session of the tool held at once. */
  int most() {
    return most.get();
  }

  /** How many times a session of the tool was seen. */
  int samples() {
    return samples.get();
  }

  @Override
  public void close() throws Exception {
    open = false;
    thread.join();
    connection.close();
    if (failure != null) {
      throw new IllegalStateException("watching chunk locks failed", failure);
    }
  }
}
