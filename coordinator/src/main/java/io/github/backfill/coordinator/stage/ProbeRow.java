package io.github.backfill.coordinator.stage;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.stage.StagePlanner.PlannedChunk;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Creates a target chunk where TimescaleDB lacks its TSL license and so refuses {@code create_chunk}:
 * one row is inserted through the target hypertable, so that TimescaleDB creates the chunk that holds
 * it, and deleted again in the same transaction. The row is a real row of the source chunk, which
 * satisfies the table's constraints and hashes into the right space partitions; for an empty source
 * chunk it is made of the slices' own values and NULLs. Where the session may, user triggers and
 * foreign-key checks are kept away from it ({@code session_replication_role = replica}); elsewhere
 * user triggers see the insert and the delete (a documented limit).
 */
final class ProbeRow {
  private static final String HASH_FUNCTION = "_timescaledb_functions.get_partition_hash";

  private final ReactiveSession source;
  private final ReactiveSession target;
  private final PlannedChunk planned;
  private final List<Column> sourceColumns;
  private final List<Dimension> dimensions;

  ProbeRow(
      ReactiveSession source,
      ReactiveSession target,
      PlannedChunk planned,
      List<Column> sourceColumns,
      List<Dimension> dimensions) {
    this.source = source;
    this.target = target;
    this.planned = planned;
    this.sourceColumns = sourceColumns;
    this.dimensions = dimensions;
  }

  /** Creates the chunk and returns its schema and name. */
  Future<String[]> createChunk() {
    List<Column> columns = sourceColumns.stream().filter(c -> !c.generated()).toList();
    String select =
        "SELECT ARRAY["
            + columns.stream().map(c -> Sql.identifier(c.name()) + "::text").collect(Collectors.joining(", "))
            + "]::text[] AS v FROM ONLY "
            + planned.chunk().ref().qualifiedName()
            + " LIMIT 1";
    return source
        .query(select, "reading a row of chunk " + planned.chunk().ref().qualifiedName())
        .compose(
            rows -> {
              var it = rows.iterator();
              if (it.hasNext()) {
                String[] values = it.next().getArrayOfStrings("v");
                return insertAndDelete(columns.stream().map(Column::name).toList(), java.util.Arrays.asList(values));
              }
              return synthesize();
            });
  }

  private Future<String[]> synthesize() {
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
    return chain.compose(v -> insertAndDelete(names, values));
  }

  private BackfillException cannotCreate(String why) {
    return BackfillException.usage(
        "cannot create the target chunk for the empty source chunk "
            + planned.chunk().ref().qualifiedName() + ": " + why + ". Create it on the target"
            + " (insert and delete a row of its range), or use a target with TimescaleDB's TSL"
            + " license, then run stage again.");
  }

  private Future<String[]> insertAndDelete(List<String> names, List<String> values) {
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
    String insert =
        "INSERT INTO " + planned.targetHypertable().qualifiedName() + " ("
            + names.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ") VALUES ("
            + placeholders + ") RETURNING tableoid::oid::bigint AS relid, ctid::text AS row_id";
    String action = planned.creationAction();
    return target
        .query(insert, action, values.toArray())
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              String rowId = row.getString("row_id");
              return target
                  .query(Sql.RELATION_NAME, row.getLong("relid"))
                  .compose(
                      names2 -> {
                        Row name = names2.iterator().next();
                        String schema = name.getString("schema_name");
                        String table = name.getString("table_name");
                        return target
                            .query("DELETE FROM " + Sql.qualified(schema, table) + " WHERE ctid = $1::tid",
                                action, rowId)
                            .map(v -> new String[] {schema, table});
                      });
            });
  }
}
