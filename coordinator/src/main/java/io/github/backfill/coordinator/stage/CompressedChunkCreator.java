package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.stage.StagePlanner.PlannedChunk;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a target chunk the compressed chunk that its compressed source chunk needs, at stage time so
 * that copy workers never contend for TimescaleDB's hypertable locks (the original's #181, #185).
 * The table copies the source compressed chunk's DDL (columns with their types, storage, collations,
 * statistics targets; storage parameters; indexes, whose shape is TimescaleDB's own for this version
 * since both sides run the same version) and the hypertable's foreign keys, and is registered with
 * {@code create_compressed_chunk} and the source's sizes. The chunk is then marked compressed; copy
 * fills the batches.
 *
 * <p>A role that may not create tables in that schema (a database owner that is no superuser, on
 * servers other than Tiger Cloud) lets TimescaleDB create the compressed chunk instead, by compressing
 * the target chunk, which holds nothing the copy keeps: the DDL is then TimescaleDB's own, and the
 * size statistics those of the empty chunk.
 */
final class CompressedChunkCreator {
  /** PostgreSQL's longest identifier (NAMEDATALEN - 1 in a default build). */
  private static final int MAX_IDENTIFIER_LENGTH = 63;
  private static final String PREFIX = "bf_";

  private final ReactiveSession source;
  private final ReactiveSession target;
  private final PlannedChunk planned;
  private final ChunkRef targetChunk;

  CompressedChunkCreator(ReactiveSession source, ReactiveSession target, PlannedChunk planned, ChunkRef targetChunk) {
    this.source = source;
    this.target = target;
    this.planned = planned;
    this.targetChunk = targetChunk;
  }

  /**
   * The new table's name: {@code bf_} and the source compressed chunk's name, in its schema; when that
   * is too long, the name's first three characters go, keeping its unique numeric tail.
   */
  static TableRef tableFor(TableRef sourceCompressed) {
    String name = sourceCompressed.name();
    if (name.length() + PREFIX.length() >= MAX_IDENTIFIER_LENGTH) {
      name = name.substring(PREFIX.length());
    }
    return new TableRef(sourceCompressed.schema(), PREFIX + name);
  }

  Future<Void> create() {
    TableRef from = planned.chunk().ref().compressed();
    return target
        .query(Sql.MAY_CREATE_IN_SCHEMA, from.schema())
        .compose(
            rows ->
                rows.iterator().next().getBoolean("allowed")
                    ? createLikeSource(from)
                    : target
                        .query(Sql.COMPRESS_EMPTY_CHUNK, Sql.qualified(targetChunk.schema(), targetChunk.name()))
                        .<Void>mapEmpty());
  }

  private Future<Void> createLikeSource(TableRef from) {
    TableRef table = tableFor(from);
    return source
        .query(Sql.COMPRESSED_CHUNK_COLUMNS, from.schema(), from.name())
        .compose(
            columns ->
                source
                    .query(Sql.COMPRESSED_CHUNK_DEFINITION, from.schema(), from.name())
                    .compose(definition -> build(table, columns, definition.iterator().next())));
  }

  private Future<Void> build(TableRef table, Iterable<Row> columns, Row definition) {
    String action = "creating compressed chunk " + table.qualifiedName();
    List<String> statements = new ArrayList<>();
    StringBuilder create = new StringBuilder("CREATE TABLE ").append(table.qualifiedName()).append(" (");
    // Storage and statistics targets in one ALTER TABLE: PostgreSQL 15 has no STORAGE in CREATE TABLE.
    List<String> alterations = new ArrayList<>();
    boolean first = true;
    for (Row column : columns) {
      String name = Sql.identifier(column.getString("name"));
      create.append(first ? "" : ", ").append(name).append(' ').append(column.getString("type"));
      alterations.add("ALTER COLUMN " + name + " SET STORAGE " + column.getString("storage"));
      if (column.getString("collation") != null) {
        create.append(" COLLATE ").append(column.getString("collation"));
      }
      create.append(column.getBoolean("not_null") ? " NOT NULL" : " NULL");
      Short target = column.getShort("statistics");
      if (target != null && target >= 0) {
        alterations.add("ALTER COLUMN " + name + " SET STATISTICS " + target);
      }
      first = false;
    }
    create.append(')');
    String reloptions = definition.getString("reloptions");
    if (!reloptions.isEmpty()) {
      create.append(" WITH (").append(reloptions).append(')');
    }
    statements.add(create.toString());
    if (!alterations.isEmpty()) {
      statements.add("ALTER TABLE " + table.qualifiedName() + " " + String.join(", ", alterations));
    }
    for (String index : definition.getArrayOfStrings("indexes")) {
      statements.add("CREATE INDEX ON " + table.qualifiedName() + index);
    }
    return ReactiveSession.forEach(statements, sql -> target.query(sql, action))
        .compose(v -> target.query(Sql.CLONE_FOREIGN_KEYS, planned.targetHypertable().qualifiedName(), table.qualifiedName()))
        .compose(
            v ->
                target.query(
                    Sql.CREATE_COMPRESSED_CHUNK,
                    Sql.qualified(targetChunk.schema(), targetChunk.name()),
                    table.qualifiedName(),
                    definition.getLong("uncompressed_heap_size"),
                    definition.getLong("uncompressed_toast_size"),
                    definition.getLong("uncompressed_index_size"),
                    definition.getLong("compressed_heap_size"),
                    definition.getLong("compressed_toast_size"),
                    definition.getLong("compressed_index_size"),
                    definition.getLong("numrows_pre_compression"),
                    definition.getLong("numrows_post_compression")))
        .mapEmpty();
  }
}
