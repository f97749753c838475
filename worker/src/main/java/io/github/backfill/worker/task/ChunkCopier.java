package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one chunk's rows in the caller's transactions: deletes what the target chunk holds in the
 * task's range, streams {@code COPY (SELECT cols FROM ONLY source) TO STDOUT} into {@code COPY target
 * (cols) FROM STDIN}, with explicit column lists (the target's column order may differ), in binary
 * form unless a column cannot travel so, and keeps TimescaleDB's continuous-aggregate invalidation
 * trigger from logging the copied rows.
 */
final class ChunkCopier {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkCopier.class);

  /** Rows and bytes moved. */
  record Copied(long rows, long bytes) {}

  private ChunkCopier() {}

  static Copied copy(
      Connection source, Connection target, Task task, TargetChunk chunk, ProgressListener progress)
      throws SQLException, IOException {
    List<String> columns = new ArrayList<>();
    boolean binary = true;
    try (PreparedStatement statement = source.prepareStatement(Sql.COPY_COLUMNS.text())) {
      statement.setString(1, task.chunkSchema());
      statement.setString(2, task.chunkName());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(Sql.identifier(rows.getString("name")));
          binary &= rows.getBoolean("binary_safe");
        }
      }
    }
    if (columns.isEmpty()) {
      throw new PermanentTaskException("source chunk " + task.chunk() + " has no columns to copy");
    }
    if (!binary) {
      LOG.warn("chunk {} has columns that binary COPY cannot carry; using text format", task.chunk());
    }
    String list = String.join(", ", columns);
    String format = binary ? "binary" : "text";
    Integer triggerHypertable = invalidationTrigger(target, chunk);
    try (Statement statement = target.createStatement()) {
      if (triggerHypertable != null) {
        // TimescaleDB refuses ALTER TABLE ... DISABLE TRIGGER on chunks; the trigger would log
        // every copied row as an invalidation. It is re-created below, in the same transaction.
        statement.execute("DROP TRIGGER ts_cagg_invalidation_trigger ON " + chunk.qualifiedName());
      }
      // TRUNCATE is intercepted by TimescaleDB on chunks and writes invalidations; DELETE is not.
      statement.execute("DELETE FROM ONLY " + chunk.qualifiedName() + task.whereClause());
    }
    CopyIn copyIn =
        target.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY " + chunk.qualifiedName() + " (" + list + ") FROM STDIN (FORMAT " + format + ")");
    long rows;
    CopyStream stream = new CopyStream(copyIn, progress);
    try {
      source.unwrap(PGConnection.class).getCopyAPI()
          .copyOut(
              "COPY (SELECT " + list + " FROM ONLY " + task.chunk() + task.whereClause()
                  + ") TO STDOUT (FORMAT " + format + ")",
              stream);
      stream.flush();
      rows = copyIn.endCopy();
    } finally {
      if (copyIn.isActive()) {
        copyIn.cancelCopy();
      }
    }
    try (Statement statement = target.createStatement()) {
      if (triggerHypertable != null) {
        statement.execute(
            "CREATE TRIGGER ts_cagg_invalidation_trigger AFTER INSERT OR DELETE OR UPDATE ON "
                + chunk.qualifiedName()
                + " FOR EACH ROW EXECUTE FUNCTION _timescaledb_functions.continuous_agg_invalidation_trigger("
                + Sql.literal(Integer.toString(triggerHypertable)) + ")");
      }
      statement.execute("ANALYZE " + chunk.qualifiedName());
    }
    return new Copied(rows, stream.bytes());
  }

  private static Integer invalidationTrigger(Connection target, TargetChunk chunk) throws SQLException {
    try (PreparedStatement statement = target.prepareStatement(Sql.CAGG_INVALIDATION_TRIGGER.text())) {
      statement.setString(1, chunk.schema());
      statement.setString(2, chunk.name());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getInt(1) : null;
      }
    }
  }
}
