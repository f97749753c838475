package io.github.backfill.worker.task;

import io.github.backfill.common.HumanUnits;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.JdbcCatalog;
import io.github.backfill.common.db.ServerRelease;
import io.github.backfill.common.db.JdbcConnections;
import io.github.backfill.common.db.Sql;
import io.github.backfill.common.db.TimescaleVersion;
import io.github.backfill.common.task.TaskOutcome;
import io.github.backfill.common.task.TaskReport;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one worker slot's tasks on PgJDBC, blocking: call it only from a worker executor. It keeps
 * one source and one target connection across tasks and reopens them after a failure.
 *
 * <p>A copy task is one target transaction: claim the row ({@code FOR NO KEY UPDATE SKIP LOCKED},
 * held to the end), delete what the target chunk holds in the task's range, stream the rows, analyze
 * only if asked, mark the task done, commit. A crash anywhere rolls all of it back and leaves the task
 * pending. The source is read in a repeatable-read, read-only transaction per task, which a hot
 * standby allows.
 */
public final class TaskRunner implements AutoCloseable {
  private final ConnectionSettings sourceSettings;
  private final ConnectionSettings targetSettings;
  private final Map<String, Integer> targetHypertables = new HashMap<>();
  // Volatile: abort() reads them from another thread while a task runs.
  private volatile Connection source;
  private volatile Connection target;
  // Each connection's release, read when it opens: its TimescaleDB picks the statements' variants.
  private ServerRelease sourceRelease;
  private ServerRelease targetRelease;

  // NODE/SLOT: recorded as copied_by / verified_by.
  private final String slot;
  // The slot again, at the end of the sessions' application_name (cluster nodes only), or null.
  private final String sessionTag;

  /**
   * @param slot the worker slot this runner serves, {@code NODE/SLOT} with the node's cluster address
   *     as NODE: recorded on the tasks it completes
   * @param clustered whether the node is in a cluster: then its sessions carry the slot at the end of
   *     their application_name, so that a coordinator that loses the node can end them (a run on one
   *     host keeps the user's application_name as it is)
   */
  public TaskRunner(ConnectionSettings source, ConnectionSettings target, String slot, boolean clustered) {
    this.sourceSettings = source;
    this.targetSettings = target;
    this.slot = slot;
    this.sessionTag = clustered ? slot : null;
  }

  /** One attempt at copying the task of {@code priority}; {@code analyze} analyzes the target chunk. */
  public TaskReport copy(long priority, boolean analyze, ProgressListener progress)
      throws SQLException, IOException {
    connect();
    long started = System.nanoTime();
    Task task = null;
    try {
      task = claim(Sql.CLAIM_COPY_TASK, priority);
      if (task == null) {
        target.rollback();
        return TaskReport.taken(priority);
      }
      beginSourceSnapshot();
      SourceChunk sourceChunk = sourceChunk(task);
      if (sourceChunk == null) {
        String message = "Skipping chunk " + task.chunk() + " because it no longer exists on source";
        completeCopy(task, message, 0, 0, 0);
        commitBoth();
        return new TaskReport(priority, TaskOutcome.SOURCE_GONE, task.chunk(), 0, 0, 0, message);
      }
      TargetChunk chunk = targetChunk(task);
      if (chunk == null) {
        throw new PermanentTaskException(targetChunkMissing(task));
      }
      ChunkCopier.Copied copied =
          ChunkCopier.copy(source, target, targetCatalog(), sourceRelease.sameAs(targetRelease), task,
              sourceChunk, chunk, analyze, progress);
      double seconds = (System.nanoTime() - started) / 1e9;
      String message =
          "Copied chunk " + task.chunk() + " in " + HumanUnits.duration(seconds)
              + (copied.bytes() > 0 ? " (" + HumanUnits.bytes((long) (copied.bytes() / Math.max(seconds, 1e-3))) + "/s)" : " ");
      completeCopy(task, message, copied.rows(), copied.bytes(), seconds);
      commitBoth();
      return new TaskReport(
          priority, TaskOutcome.COPIED, task.chunk(), copied.rows(), copied.bytes(), seconds, message);
    } catch (SQLException | IOException | RuntimeException e) {
      close();
      if (task != null) {
        throw new ChunkTaskException(task.chunk(), e);
      }
      throw e;
    }
  }

  /** One attempt at verifying the task of {@code priority}; {@code deep} also compares row hashes. */
  public TaskReport verify(long priority, boolean deep) throws SQLException {
    connect();
    long started = System.nanoTime();
    Task task = null;
    try {
      task = claim(Sql.CLAIM_VERIFY_TASK, priority);
      if (task == null) {
        target.rollback();
        return TaskReport.taken(priority);
      }
      beginSourceSnapshot();
      TaskReport report;
      if (sourceChunk(task) == null) {
        String message = "source chunk " + task.chunk() + " no longer exists";
        completeVerify(task, message, null);
        report = new TaskReport(priority, TaskOutcome.SOURCE_GONE, task.chunk(), 0, 0, 0, message);
      } else {
        TargetChunk chunk = targetChunk(task);
        if (chunk == null) {
          String message = "target chunk does not exist: " + targetChunkMissing(task);
          completeVerify(task, message, false);
          report = new TaskReport(priority, TaskOutcome.DIFFERENT, task.chunk(), 0, 0, 0, message);
        } else {
          ChunkVerifier.Comparison comparison = ChunkVerifier.compare(source, target, task, chunk, deep);
          double seconds = (System.nanoTime() - started) / 1e9;
          String message =
              comparison.same()
                  ? "Verified chunk " + task.chunk() + " in " + HumanUnits.duration(seconds)
                  : "Chunk verification failed, source=" + task.chunk() + " target="
                      + chunk.qualifiedName() + " diff\n```diff\n" + comparison.diff() + "```";
          completeVerify(task, message, comparison.same());
          report =
              new TaskReport(
                  priority,
                  comparison.same() ? TaskOutcome.VERIFIED : TaskOutcome.DIFFERENT,
                  task.chunk(),
                  comparison.rows(),
                  0,
                  seconds,
                  message);
        }
      }
      commitBoth();
      return report;
    } catch (SQLException | RuntimeException e) {
      close();
      if (task != null) {
        throw new ChunkTaskException(task.chunk(), e);
      }
      throw e;
    }
  }

  /** Records a failed attempt's error on the task, in a short transaction of its own. */
  public void recordError(long priority, String error) throws SQLException {
    connect();
    try (PreparedStatement statement = target.prepareStatement(Sql.RECORD_TASK_ERROR.text())) {
      statement.setString(1, error);
      statement.setLong(2, priority);
      statement.executeUpdate();
      target.commit();
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  private TimescaleVersion sourceCatalog() {
    return sourceRelease.timescaledb();
  }

  private TimescaleVersion targetCatalog() {
    return targetRelease.timescaledb();
  }

  private void connect() throws SQLException {
    if (source == null) {
      source = JdbcConnections.open(sourceSettings, sessionTag);
      sourceRelease = JdbcCatalog.releaseOf(source);
      source.setAutoCommit(false);
    }
    if (target == null) {
      target = JdbcConnections.open(targetSettings, sessionTag);
      targetRelease = JdbcCatalog.releaseOf(target);
      target.setAutoCommit(false);
    }
  }

  private Task claim(Sql claim, long priority) throws SQLException {
    try (PreparedStatement statement = target.prepareStatement(claim.text())) {
      statement.setLong(1, priority);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return new Task(
            row.getLong("priority"),
            row.getString("chunk_schema"),
            row.getString("chunk_name"),
            row.getString("hypertable_schema"),
            row.getString("hypertable_name"),
            row.getString("dimensions"),
            row.getString("filter"));
      }
    }
  }

  private void beginSourceSnapshot() throws SQLException {
    try (Statement statement = source.createStatement()) {
      // Not SERIALIZABLE DEFERRABLE as the original: a hot standby refuses serializable.
      statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
  }

  /** The task's source chunk, or null when it was dropped after stage. */
  private SourceChunk sourceChunk(Task task) throws SQLException {
    try (PreparedStatement statement = source.prepareStatement(Sql.SOURCE_CHUNK.text(sourceCatalog()))) {
      statement.setString(1, task.chunkSchema());
      statement.setString(2, task.chunkName());
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? new SourceChunk(task.chunkSchema(), task.chunkName(), row.getString("compressed_schema"),
                row.getString("compressed_name"))
            : null;
      }
    }
  }

  /** The target chunk with the task's slices, in the target hypertable that matches the source's. */
  private TargetChunk targetChunk(Task task) throws SQLException {
    Integer hypertable = targetHypertable(task);
    if (hypertable == null) {
      return null;
    }
    try (PreparedStatement statement = target.prepareStatement(Sql.FIND_TARGET_CHUNK.text(targetCatalog()))) {
      statement.setString(1, task.dimensions());
      statement.setInt(2, hypertable);
      statement.setString(3, task.dimensions());
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? new TargetChunk(
                row.getString("chunk_schema"),
                row.getString("chunk_name"),
                row.getInt("status"),
                row.getString("compressed_schema"),
                row.getString("compressed_name"),
                row.getString("hypertable"))
            : null;
      }
    }
  }

  /**
   * The target hypertable for the task's source hypertable: by name, or for a continuous
   * aggregate's materialization hypertable by the aggregate's view name, whose internal name may
   * differ on a target not made by a dump.
   */
  private Integer targetHypertable(Task task) throws SQLException {
    String key = task.hypertableSchema() + "\u0000" + task.hypertableName();
    if (targetHypertables.containsKey(key)) {
      return targetHypertables.get(key);
    }
    String[] view = null;
    try (PreparedStatement statement = source.prepareStatement(Sql.CAGG_VIEW_OF_HYPERTABLE.text(sourceCatalog()))) {
      statement.setString(1, task.hypertableSchema());
      statement.setString(2, task.hypertableName());
      try (ResultSet row = statement.executeQuery()) {
        if (row.next()) {
          view = new String[] {row.getString(1), row.getString(2)};
        }
      }
    }
    Sql lookup = view == null ? Sql.HYPERTABLE_ID_BY_NAME : Sql.HYPERTABLE_ID_BY_VIEW;
    Integer id = null;
    try (PreparedStatement statement = target.prepareStatement(lookup.text(targetCatalog()))) {
      statement.setString(1, view == null ? task.hypertableSchema() : view[0]);
      statement.setString(2, view == null ? task.hypertableName() : view[1]);
      try (ResultSet row = statement.executeQuery()) {
        if (row.next()) {
          id = row.getInt(1);
        }
      }
    }
    targetHypertables.put(key, id);
    return id;
  }

  private static String targetChunkMissing(Task task) {
    return "target chunk for " + task.chunk() + " not found - staging failed or chunk was deleted";
  }

  private void completeCopy(Task task, String message, long rows, long bytes, double seconds)
      throws SQLException {
    try (PreparedStatement statement = target.prepareStatement(Sql.COMPLETE_COPY_TASK.text())) {
      statement.setString(1, message);
      statement.setLong(2, rows);
      statement.setLong(3, bytes);
      statement.setDouble(4, seconds);
      statement.setString(5, slot);
      statement.setLong(6, task.priority());
      statement.executeUpdate();
    }
  }

  private void completeVerify(Task task, String message, Boolean same) throws SQLException {
    try (PreparedStatement statement = target.prepareStatement(Sql.COMPLETE_VERIFY_TASK.text())) {
      statement.setString(1, message);
      if (same == null) {
        statement.setNull(2, java.sql.Types.BOOLEAN);
      } else {
        statement.setBoolean(2, same);
      }
      statement.setString(3, slot);
      statement.setLong(4, task.priority());
      statement.executeUpdate();
    }
  }

  /**
   * The task's data and its mark commit together on the target; the source only read. Once the
   * target has committed, the task is done: a source session lost after its COPY (the server ended
   * it once the whole chunk was in the socket buffers, or restarted) only ends a read-only snapshot,
   * so it must not turn a committed chunk into a failed attempt whose retry finds the task done.
   * The source connection is dropped and the next task opens a new one.
   */
  private void commitBoth() throws SQLException {
    target.commit();
    try {
      source.commit();
    } catch (SQLException e) {
      Connection lost = source;
      source = null;
      try {
        lost.close();
      } catch (SQLException ignored) {
        // Already gone.
      }
    }
  }

  /**
   * Cuts both connections at once, from any thread, while a task may be running on them: the servers
   * roll back its transactions, and the running task fails.
   */
  public void abort() {
    for (Connection connection : new Connection[] {source, target}) {
      if (connection != null) {
        try {
          connection.abort(Runnable::run);
        } catch (SQLException ignored) {
          // Already closed.
        }
      }
    }
  }

  /**
   * Rolls back and closes both connections. After a failure too: a connection that failed may be
   * broken, so the next attempt starts from fresh ones.
   */
  @Override
  public void close() {
    for (Connection connection : new Connection[] {source, target}) {
      if (connection != null) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // The connection may already be gone; closing it is all that is left.
        }
        try {
          connection.close();
        } catch (SQLException ignored) {
          // Nothing more to do for a connection that cannot close.
        }
      }
    }
    source = null;
    target = null;
  }
}
