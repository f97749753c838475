package io.github.backfill.worker.task;

import io.github.backfill.common.db.Sql;
import io.github.backfill.common.db.TimescaleVersion;
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
 * Moves one chunk's rows in the caller's transactions, deleting first what the target chunk holds in
 * the task's range. Three cases:
 *
 * <ul>
 *   <li>A rowstore source chunk: its rows stream into the target chunk (decompressed first if the
 *       target's copy of it is compressed, as after a source chunk was decompressed).
 *   <li>A compressed source chunk, whole, between servers of the same release: its compressed
 *       batches stream into the target's compressed chunk as they are, never decompressed and
 *       recompressed; its uncompressed rows (a partial chunk) into the target chunk. The target's
 *       compressed batches are deleted first, so a re-copy never duplicates them (the original
 *       appends).
 *   <li>A compressed source chunk cut by an edge filter: the target chunk is decompressed, the rows
 *       in range stream in decompressed, and the chunk is compressed again.
 *   <li>A compressed source chunk from an older release: its rows stream in decompressed, and the
 *       target compresses the chunk in its own release's form, in the same transaction.
 * </ul>
 *
 * <p>Every copy has explicit column lists (the target's column order may differ; generated columns
 * are the target's to compute), travels in binary unless a column cannot (between releases, binary
 * only for PostgreSQL's own types and enums: an extension's binary form may change), and keeps TimescaleDB's
 * continuous-aggregate invalidation trigger from logging the copied rows. No delete reaches beyond
 * the chunk: never through the hypertable.
 */
final class ChunkCopier {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkCopier.class);

  /** Rows and bytes moved. */
  record Copied(long rows, long bytes) {
    Copied plus(Copied other) {
      return new Copied(rows + other.rows, bytes + other.bytes);
    }
  }

  /** A column list and whether binary COPY can carry all of it. */
  private record Columns(String list, boolean binary) {
    String format() {
      return binary ? "binary" : "text";
    }
  }

  private ChunkCopier() {}

  static Copied copy(
      Connection source,
      Connection target,
      TimescaleVersion targetCatalog,
      boolean asStored,
      Task task,
      SourceChunk from,
      TargetChunk chunk,
      boolean analyze,
      ProgressListener progress)
      throws SQLException, IOException {
    // The copied rows must not be logged as continuous-aggregate invalidations: the aggregates'
    // own chunks are copied too. Up to TimescaleDB 2.23 an invalidation trigger on each chunk logs
    // them; TimescaleDB refuses ALTER TABLE ... DISABLE TRIGGER on chunks, so the trigger is dropped
    // and re-created below, in the same transaction. From 2.28 a setting of the transaction keeps
    // them out (2.24 to 2.27 log them with no way around: refresh-caggs re-materializes those ranges,
    // to the same result). DROP TRIGGER holds an exclusive lock until commit, which would stall the
    // application's dual-writes into an edge chunk for the whole copy: there invalidations are
    // logged, and refresh-caggs re-materializes the range they cover.
    Integer triggerHypertable = null;
    if (task.filter() == null) {
      execute(target, Sql.SKIP_CAGG_INVALIDATION.text(targetCatalog));
      triggerHypertable = invalidationTrigger(target, targetCatalog, chunk);
    }
    if (triggerHypertable != null) {
      execute(target, "DROP TRIGGER ts_cagg_invalidation_trigger ON " + chunk.qualifiedName());
    }
    Copied copied;
    if (!from.compressed()) {
      if (chunk.compressed()) {
        // The source chunk was decompressed after the target's skeleton was made.
        execute(target, "SELECT public.decompress_chunk(" + Sql.literal(chunk.qualifiedName()) + ")");
      }
      copied = rows(source, target, asStored, task, from.qualifiedName(), true, chunk.qualifiedName(), progress);
    } else if (task.filter() != null || !asStored) {
      copied = decompressedAndCompressed(source, target, asStored, task, from, chunk, progress);
    } else {
      copied = compressedForm(source, target, task, from, chunk, progress);
      if (analyze) {
        execute(target, "ANALYZE " + chunk.compressedQualifiedName());
      }
    }
    if (triggerHypertable != null) {
      execute(target, "CREATE TRIGGER ts_cagg_invalidation_trigger AFTER INSERT OR DELETE OR UPDATE ON "
          + chunk.qualifiedName()
          + " FOR EACH ROW EXECUTE FUNCTION _timescaledb_functions.continuous_agg_invalidation_trigger("
          + Sql.literal(Integer.toString(triggerHypertable)) + ")");
    }
    if (analyze) {
      execute(target, "ANALYZE " + chunk.qualifiedName());
    }
    return copied;
  }

  /**
   * A compressed source chunk whose batches cannot travel as stored: an edge filter cuts it, or the
   * target runs a newer release, which may store batches otherwise. Before TimescaleDB 2.23 a DELETE
   * issued on a compressed chunk leaves its compressed rows alone (#6241), so a compressed target
   * chunk is decompressed first; the range's rows are deleted and copied (read decompressed from the
   * source), and the target's TimescaleDB compresses the chunk again, with its own settings (which
   * stage checked are the source's). From an older release the target chunk has no compressed chunk
   * yet (stage leaves it to the copy): it is compressed here as the source's is.
   */
  private static Copied decompressedAndCompressed(
      Connection source, Connection target, boolean asStored, Task task, SourceChunk from,
      TargetChunk chunk, ProgressListener progress) throws SQLException, IOException {
    if (chunk.compressed()) {
      if (task.filter() != null) {
        LOG.warn("Completion filter is within a compressed chunk, decompressing chunk {}", chunk.qualifiedName());
      }
      execute(target, "SELECT public.decompress_chunk(" + Sql.literal(chunk.qualifiedName()) + ")");
    }
    Copied copied = rows(source, target, asStored, task, from.qualifiedName(), false, chunk.qualifiedName(), progress);
    if (chunk.compressed() || !asStored) {
      execute(target, "SELECT public.compress_chunk(" + Sql.literal(chunk.qualifiedName()) + ")");
    }
    return copied;
  }

  /** A whole compressed chunk: its batches as they are, and its uncompressed rows if it is partial. */
  private static Copied compressedForm(
      Connection source, Connection target, Task task, SourceChunk from, TargetChunk chunk,
      ProgressListener progress) throws SQLException, IOException {
    if (!chunk.compressed()) {
      throw new PermanentTaskException(
          "source chunk " + task.chunk() + " was compressed after stage, and target chunk "
              + chunk.qualifiedName() + " has no compressed chunk to receive its batches. Run the"
              + " `stage` command again (with the same bounds): it creates the compressed chunk.");
    }
    execute(target, "DELETE FROM ONLY " + chunk.compressedQualifiedName());
    execute(target, "DELETE FROM ONLY " + chunk.qualifiedName());
    Copied copied = new Copied(0, 0);
    if (hasRows(source, from.qualifiedName())) {
      // A partial source chunk. Rows written straight into a compressed chunk's heap stay invisible
      // until TimescaleDB marks it partial, which a non-superuser can only make it do by inserting
      // through the hypertable; the rows all fall into this chunk.
      String into = chunk.partial() ? chunk.qualifiedName() : chunk.hypertable();
      copied = copyStream(source, target, columns(source, true, from.schema(), from.name()),
          "ONLY " + from.qualifiedName(), "", into, progress);
    }
    Copied batches = copyStream(source, target, columns(source, true, from.compressedSchema(), from.compressedName()),
        "ONLY " + from.compressedQualifiedName(), "", chunk.compressedQualifiedName(), progress);
    long compressedRows;
    try (Statement statement = target.createStatement();
        ResultSet row = statement.executeQuery(
            Sql.COMPRESSED_ROWS.textWith("TABLE", chunk.compressedQualifiedName()))) {
      row.next();
      compressedRows = row.getLong(1);
    }
    return copied.plus(new Copied(compressedRows, batches.bytes()));
  }

  /**
   * The task's rows: deletes the target chunk's rows in range, then streams the source's. With
   * {@code only}, the source chunk's uncompressed rows; without, TimescaleDB decompresses on read.
   */
  private static Copied rows(
      Connection source, Connection target, boolean asStored, Task task, String from, boolean only,
      String into, ProgressListener progress) throws SQLException, IOException {
    // TRUNCATE is intercepted by TimescaleDB on chunks and writes invalidations; DELETE is not.
    execute(target, "DELETE FROM ONLY " + into + task.whereClause());
    return copyStream(source, target, columns(source, asStored, task.chunkSchema(), task.chunkName()),
        (only ? "ONLY " : "") + from, task.whereClause(), into, progress);
  }

  private static Copied copyStream(
      Connection source, Connection target, Columns columns, String from, String where, String into,
      ProgressListener progress) throws SQLException, IOException {
    CopyIn copyIn =
        target.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY " + into + " (" + columns.list() + ") FROM STDIN (FORMAT " + columns.format() + ")");
    CopyStream stream = new CopyStream(copyIn, progress);
    try {
      source.unwrap(PGConnection.class).getCopyAPI()
          .copyOut(
              "COPY (SELECT " + columns.list() + " FROM " + from + where + ") TO STDOUT (FORMAT "
                  + columns.format() + ")",
              stream);
      stream.flush();
      return new Copied(copyIn.endCopy(), stream.bytes());
    } finally {
      if (copyIn.isActive()) {
        copyIn.cancelCopy();
      }
    }
  }

  /** {@code asStored}: the target runs the source's release (see {@link Sql#COPY_COLUMNS}). */
  private static Columns columns(Connection source, boolean asStored, String schema, String table)
      throws SQLException {
    List<String> names = new ArrayList<>();
    boolean binary = true;
    try (PreparedStatement statement = source.prepareStatement(Sql.COPY_COLUMNS.text())) {
      statement.setBoolean(1, asStored);
      statement.setString(2, schema);
      statement.setString(3, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(Sql.identifier(rows.getString("name")));
          binary &= rows.getBoolean("binary_safe");
        }
      }
    }
    if (names.isEmpty()) {
      throw new PermanentTaskException("source table " + Sql.qualified(schema, table) + " has no columns to copy");
    }
    if (!binary) {
      LOG.warn("{} has columns that binary COPY cannot carry; using text format", Sql.qualified(schema, table));
    }
    return new Columns(String.join(", ", names), binary);
  }

  private static boolean hasRows(Connection source, String table) throws SQLException {
    try (Statement statement = source.createStatement();
        ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM ONLY " + table + ")")) {
      row.next();
      return row.getBoolean(1);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Integer invalidationTrigger(
      Connection target, TimescaleVersion targetCatalog, TargetChunk chunk) throws SQLException {
    try (PreparedStatement statement =
        target.prepareStatement(Sql.CAGG_INVALIDATION_TRIGGER.text(targetCatalog))) {
      statement.setString(1, chunk.schema());
      statement.setString(2, chunk.name());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getInt(1) : null;
      }
    }
  }
}
