package io.github.backfill.coordinator.stage;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.stage.StagePlanner.PlannedChunk;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates a target chunk where TimescaleDB lacks its TSL license and so refuses {@code create_chunk}:
 * one row is inserted through the target hypertable, so that TimescaleDB creates the chunk that holds
 * it, and deleted again in the same transaction. The row is a real row of the source chunk, which
 * satisfies the table's constraints and hashes into the right space partitions; for an empty source
 * chunk it is made of the slices' own values and NULLs. Where the session may, user triggers and
 * foreign-key checks are kept away from it ({@code session_replication_role = replica}); elsewhere
 * user triggers see the insert and the delete (a documented limit).
 *
 * <p>The rows of a batch of chunks are read in one source query ({@link #read}), and each creation
 * is two target round trips: the insert, which returns the new chunk's name, then its delete beside
 * the caller's read of the chunk.
 */
final class ProbeRow {
  private static final String HASH_FUNCTION = "_timescaledb_functions.get_partition_hash";

  private final ReactiveSession target;
  private final PlannedChunk planned;
  private final List<Column> sourceColumns;
  private final List<Dimension> dimensions;
  /** The source chunk's first row as text, in the order of {@link #probed}; null for an empty chunk. */
  private final String[] row;

  ProbeRow(
      ReactiveSession target,
      PlannedChunk planned,
      List<Column> sourceColumns,
      List<Dimension> dimensions,
      String[] row) {
    this.target = target;
    this.planned = planned;
    this.sourceColumns = sourceColumns;
    this.dimensions = dimensions;
    this.row = row;
  }

  /** The columns a probe row carries: generated ones are the server's to fill. */
  private static List<Column> probed(List<Column> columns) {
    return columns.stream().filter(c -> !c.generated()).toList();
  }

  /**
   * The first row of each chunk in {@code chunks} (null for an empty chunk), read in one query: each
   * chunk is locked for that query alone.
   */
  static Future<Map<PlannedChunk, String[]>> read(
      ReactiveSession source, List<PlannedChunk> chunks, Function<SourceHypertable, List<Column>> columns) {
    if (chunks.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    StringBuilder select = new StringBuilder("SELECT i, v FROM (VALUES ");
    for (int i = 0; i < chunks.size(); i++) {
      SourceChunk chunk = chunks.get(i).chunk();
      select.append(i == 0 ? "" : ", ").append('(').append(i).append(", (SELECT ARRAY[")
          .append(probed(columns.apply(chunk.hypertable())).stream()
              .map(c -> Sql.identifier(c.name()) + "::text")
              .collect(Collectors.joining(", ")))
          .append("]::text[] FROM ONLY ").append(chunk.ref().qualifiedName()).append(" LIMIT 1))");
    }
    select.append(") AS r(i, v)");
    String action =
        "reading a row of " + (chunks.size() == 1 ? "chunk " : "each of " + chunks.size() + " chunks from ")
            + chunks.get(0).chunk().ref().qualifiedName();
    return source
        .query(select.toString(), action)
        .map(
            rows -> {
              Map<PlannedChunk, String[]> found = new IdentityHashMap<>();
              for (Row r : rows) {
                found.put(chunks.get(r.getInteger("i")), r.getArrayOfStrings("v"));
              }
              return found;
            });
  }

  /**
   * Creates the chunk, then runs {@code thenRead} on its schema and name in the same round trip as
   * the probe row's delete, and returns what it read.
   */
  <T> Future<T> createChunk(BiFunction<String, String, Future<T>> thenRead) {
    if (row != null) {
      return insertAndDelete(probed(sourceColumns).stream().map(Column::name).toList(), Arrays.asList(row), thenRead);
    }
    return synthesize(thenRead);
  }

  private <T> Future<T> synthesize(BiFunction<String, String, Future<T>> thenRead) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    Map<String, Slice> slices = planned.chunk().ref().slices();
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      Slice slice = slices.get(d.column());
      names.add(d.column());
      if (i == 0) {
        String sql =
            Sql.PROBE_TIME_VALUE.textWith("TIME_TYPE", planned.chunk().hypertable().timeType().sqlName());
        chain = chain.compose(v -> target.query(sql, "making a probe row", slice.start()))
            .map(rows -> {
              values.add(rows.iterator().next().getString("value"));
              return null;
            });
      } else if (d.numSlices() != null && HASH_FUNCTION.equals(d.partitioningFunc())) {
        String sql = Sql.PROBE_SPACE_VALUE.textWith("COLUMN_TYPE", d.type());
        chain = chain.compose(v -> target.query(sql, "making a probe row", slice.start(), slice.end()))
            .compose(rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Future.failedFuture(cannotCreate("no value of " + d.describe()
                    + " hashes into its slice"));
              }
              values.add(it.next().getString("value"));
              return Future.succeededFuture();
            });
      } else {
        return Future.failedFuture(cannotCreate("its dimension " + d.describe()
            + " is not one stage can make a value for"));
      }
    }
    return chain.compose(v -> insertAndDelete(names, values, thenRead));
  }

  private BackfillException cannotCreate(String why) {
    return BackfillException.usage(
        "cannot create the target chunk for the empty source chunk "
            + planned.chunk().ref().qualifiedName() + ": " + why + ". Create it on the target"
            + " (insert and delete a row of its range), or use a target with TimescaleDB's TSL"
            + " license, then run stage again.");
  }

  private <T> Future<T> insertAndDelete(
      List<String> names, List<String> values, BiFunction<String, String, Future<T>> thenRead) {
    Map<String, String> targetTypes =
        planned.targetHypertable().columns().stream().collect(Collectors.toMap(Column::name, Column::type));
    StringBuilder placeholders = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        placeholders.append(", ");
      }
      // Text in, cast by the server: every type has a text form.
      placeholders.append('$').append(i + 1).append("::text::").append(targetTypes.get(names.get(i)));
    }
    // tableoid is the chunk TimescaleDB routed the row to. Its name comes from the catalog caches,
    // which hold the chunk this very statement created; a query of pg_class would not see it.
    String insert =
        "INSERT INTO " + planned.targetHypertable().qualifiedName() + " ("
            + names.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ") VALUES ("
            + placeholders + ") RETURNING ctid::text AS row_id,"
            + " (pg_identify_object_as_address('pg_class'::regclass, tableoid, 0)).object_names AS chunk";
    String action = planned.creationAction();
    return target
        .query(insert, action, values.toArray())
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              String[] chunk = row.getArrayOfStrings("chunk");
              // Sent together: the connection pipelines them, and the transaction fails if either does.
              Future<?> deleted =
                  target.query(
                      "DELETE FROM " + Sql.qualified(chunk[0], chunk[1]) + " WHERE ctid = $1::tid",
                      action, row.getString("row_id"));
              Future<T> read = thenRead.apply(chunk[0], chunk[1]);
              return Future.all(deleted, read).map(both -> read.result());
            });
  }
}
