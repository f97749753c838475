package io.github.backfill.coordinator.schema;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.RegexFilter;
import io.github.backfill.common.db.ServerInfo;
import io.github.backfill.common.db.ServerRelease;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.stage.Column;
import io.github.backfill.coordinator.stage.CompressionSettings;
import io.github.backfill.coordinator.stage.Dimension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code schema}: creates on the target, without data, the tables, hypertables and continuous
 * aggregates of the source that the filter selects. The plain schema (schemas, types, functions,
 * sequences, tables, indexes, constraints) comes from {@code pg_dump}; TimescaleDB's objects are made
 * through the target's own TimescaleDB API (create_hypertable with the source's dimensions and
 * intervals, compression settings, continuous aggregates from their definitions), so that the target
 * may run a newer release than the source. Everything in one target transaction: a failure leaves the
 * target as it was. Objects the target has already in the same shape are left alone (running it again
 * does nothing); one of another shape is an exit-2 error naming it, with nothing written.
 */
public final class SchemaPhase {
  private static final Set<String> INTERNAL_SCHEMAS =
      Set.of("_timescaledb_*", "timescaledb_information", "timescaledb_experimental", "__backfill");
  private static final Set<String> TIME_TYPES =
      Set.of("timestamp with time zone", "timestamp without time zone", "date");
  /** SQLSTATEs of an object that exists already: duplicate schema, table, object, function. */
  private static final Set<String> DUPLICATES = Set.of("42P06", "42P07", "42710", "42723", "42P04");

  private final Vertx vertx;
  private final SchemaOptions options;

  public SchemaPhase(Vertx vertx, SchemaOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** A relation of {@code schema_relations.sql}. */
  record Relation(String schema, String name, String kind, Integer hypertableId, boolean compressed,
      Boolean materializedOnly, List<String> ownedSequences) {
    String qualified() {
      return Sql.qualified(schema, name);
    }

    String key() {
      return schema + "\u0000" + name;
    }

    boolean isView() {
      return kind.equals("view");
    }

    boolean isAggregate() {
      return kind.equals("continuous aggregate");
    }

    boolean isHypertable() {
      return kind.equals("hypertable");
    }

    /** For pg_dump's --table and --exclude-table: the exact name, quoted as a pattern. */
    String pattern() {
      return '"' + schema.replace("\"", "\"\"") + "\".\"" + name.replace("\"", "\"\"") + '"';
    }

    String describe() {
      return kind + " " + qualified();
    }

    static Relation of(Row r) {
      return new Relation(r.getString("schema_name"), r.getString("name"), r.getString("kind"),
          r.getInteger("hypertable_id"), Boolean.TRUE.equals(r.getBoolean("compressed")),
          r.getBoolean("materialized_only"), List.of(r.getArrayOfStrings("owned_sequences")));
    }
  }

  /** A relation's shape: its columns and, for a hypertable or aggregate, its dimensions. */
  record Shape(List<Column> columns, List<Dimension> dimensions, List<String> integerNow) {}

  public Future<SchemaResult> run() {
    return Preflight.withSessions(
        vertx, options.source(), options.target(),
        (source, target, sourceInfo, targetInfo, asStored) ->
            new Run(source, target, sourceInfo, targetInfo).execute());
  }

  private final class Run {
    private final ReactiveSession source;
    private final ReactiveSession target;
    private final ServerInfo sourceInfo;
    private final ServerInfo targetInfo;
    private List<Relation> everything;
    private List<Relation> selected;
    private final Map<String, Relation> onTarget = new HashMap<>();
    private final Map<String, Shape> sourceShapes = new HashMap<>();
    private final Map<String, Shape> targetShapes = new HashMap<>();
    private final Map<String, String> definitions = new HashMap<>();
    private Map<String, CompressionSettings> compression = Map.of();
    private String timescaledb;

    Run(ReactiveSession source, ReactiveSession target, ServerInfo sourceInfo, ServerInfo targetInfo) {
      this.source = source;
      this.target = target;
      this.sourceInfo = sourceInfo;
      this.targetInfo = targetInfo;
    }

    Future<SchemaResult> execute() {
      return RegexFilter.validate(source, options.filter(), "\"schema\".\"name\" names")
          .compose(v -> source.query(Sql.SCHEMA_RELATIONS, (Object) null))
          .compose(all -> {
            everything = ReactiveSession.map(all, Relation::of);
            return source.query(Sql.SCHEMA_RELATIONS, options.filter());
          })
          .compose(rows -> {
            selected = ReactiveSession.map(rows, Relation::of).stream().filter(r -> !r.isView()).toList();
            return target.query(Sql.SCHEMA_RELATIONS, (Object) null);
          })
          .compose(rows -> {
            ReactiveSession.map(rows, Relation::of).forEach(r -> onTarget.put(r.key(), r));
            return ReactiveSession.forEach(selected, this::readShapes);
          })
          .compose(v -> {
            List<Relation> missing = checkPresent();
            if (missing.isEmpty()) {
              return Future.succeededFuture(new SchemaResult(List.of(), selected.size(), null));
            }
            return create(missing);
          })
          .eventually(() -> Future.join(source.close(), target.close()));
    }

    private Future<Void> readShapes(Relation r) {
      Future<Void> sourceSide = shape(source, r).map(s -> {
        sourceShapes.put(r.key(), s);
        return null;
      });
      Relation there = onTarget.get(r.key());
      if (there == null) {
        return sourceSide;
      }
      return sourceSide.compose(v -> shape(target, there)).map(s -> {
        targetShapes.put(r.key(), s);
        return null;
      });
    }

    private Future<Shape> shape(ReactiveSession session, Relation r) {
      return session.query(Sql.TABLE_COLUMNS, r.schema(), r.name())
          .compose(columns -> {
            List<Column> list = ReactiveSession.map(columns, Column::of);
            if (r.hypertableId() == null) {
              return Future.succeededFuture(new Shape(list, List.of(), List.of()));
            }
            return session.query(Sql.HYPERTABLE_DIMENSIONS, r.hypertableId())
                .map(dims -> new Shape(list, ReactiveSession.map(dims, Dimension::of),
                    ReactiveSession.map(dims, d -> d.getString("integer_now_func"))));
          });
    }

    /** The selected relations the target lacks; refuses (exit 2) those it has in another shape. */
    private List<Relation> checkPresent() {
      List<String> issues = new ArrayList<>();
      List<Relation> missing = new ArrayList<>();
      for (Relation r : selected) {
        Relation there = onTarget.get(r.key());
        if (there == null) {
          missing.add(r);
          continue;
        }
        Shape mine = sourceShapes.get(r.key());
        Shape theirs = targetShapes.get(r.key());
        if (!there.kind().equals(r.kind())) {
          issues.add("- " + r.qualified() + " is a " + r.kind() + " on the source and a " + there.kind()
              + " on the target");
        } else if (!signatures(mine.columns()).equals(signatures(theirs.columns()))) {
          issues.add("- " + r.describe() + " has other columns on the target:\n    * source columns: "
              + describe(mine.columns()) + "\n    * target columns: " + describe(theirs.columns()));
        } else if (!mine.dimensions().equals(theirs.dimensions()) && !r.isAggregate()) {
          issues.add("- " + r.describe() + " has other dimensions on the target:\n    * source: "
              + describeDimensions(mine.dimensions()) + "\n    * target: "
              + describeDimensions(theirs.dimensions()));
        }
      }
      if (!issues.isEmpty()) {
        throw BackfillException.usage(
            "the target has " + issues.size() + " of the selected objects in another shape than the"
                + " source:\n" + String.join("\n", issues) + "\nNothing was written. Drop or rename"
                + " them on the target (or leave them out with --filter), then run schema again.");
      }
      boolean needsTsl = missing.stream().anyMatch(r -> r.isAggregate() || r.compressed());
      if (needsTsl && !targetInfo.hasTslLicense()) {
        throw BackfillException.usage(
            "the target's TimescaleDB has no TSL license (timescaledb.license = '"
                + targetInfo.license() + "'), which the source's "
                + missing.stream().filter(r -> r.isAggregate() || r.compressed())
                    .map(r -> r.isAggregate() ? r.describe() : "compression on " + r.qualified())
                    .collect(Collectors.joining(", "))
                + " need. Nothing was written. Use a target with the TSL license, or leave them out"
                + " with --filter.");
      }
      return missing;
    }

    private Future<SchemaResult> create(List<Relation> missing) {
      // The first run: the target has none of the source's tables and aggregates yet.
      boolean fresh = everything.stream().noneMatch(r -> !r.isView() && onTarget.containsKey(r.key()));
      List<String> arguments = dumpArguments(missing, fresh);
      Future<Void> settings =
          missing.stream().anyMatch(Relation::compressed)
              ? CompressionSettings.read(source).map(read -> {
                  compression = read;
                  return null;
                })
              : Future.succeededFuture();
      return settings
          // Names in the aggregates' definitions come out schema-qualified (after the shapes were
          // read: types in column lists are shown as the default search_path sees them, on both sides).
          .compose(v -> source.query("SELECT pg_catalog.set_config('search_path', '', false)", "setting search_path"))
          .compose(v -> ReactiveSession.forEach(
              missing.stream().filter(Relation::isAggregate).toList(),
              r -> source.query(Sql.SCHEMA_VIEW_DEFINITION, r.schema(), r.name())
                  .map(rows -> definitions.put(r.key(), rows.iterator().next().getString("view_definition")))))
          .compose(v -> target.query(Sql.TIMESCALEDB_SCHEMA))
          .compose(rows -> {
            timescaledb = rows.iterator().next().getString("schema_name");
            return vertx.executeBlocking(() -> {
              PgDump pgDump = PgDump.locate(options.environment(), ServerRelease.of(sourceInfo).postgresMajor());
              return new Dumped(pgDump.describe(), DumpScript.parse(pgDump.dumpSchema(options.source(), arguments)));
            }, false);
          })
          .compose(dumped -> apply(missing, fresh, dumped));
    }

    private record Dumped(String pgDump, DumpScript script) {}

    /**
     * pg_dump's selection. The first time (the target has none of the source's tables) the whole
     * plain schema but TimescaleDB's, without the aggregates' views (made through TimescaleDB) and,
     * with a filter, without the tables and views it leaves out; later, only the missing tables.
     */
    private List<String> dumpArguments(List<Relation> missing, boolean fresh) {
      List<String> arguments = new ArrayList<>();
      INTERNAL_SCHEMAS.stream().sorted().forEach(s -> arguments.add("--exclude-schema=" + s));
      if (fresh) {
        Set<String> chosen = selected.stream().map(Relation::key).collect(Collectors.toSet());
        for (Relation r : everything) {
          boolean leftOut = options.filter() != null && !chosen.contains(r.key());
          if (r.isAggregate() || leftOut) {
            arguments.add("--exclude-table=" + r.pattern());
          }
          if (leftOut) {
            r.ownedSequences().forEach(s -> arguments.add("--exclude-table=" + s));
          }
        }
      } else {
        missing.stream().filter(r -> !r.isAggregate()).forEach(r -> arguments.add("--table=" + r.pattern()));
      }
      return arguments;
    }

    /** One statement of the target's transaction, and what it does, for an error's message. */
    private record Step(String sql, String action) {}

    private Future<SchemaResult> apply(List<Relation> missing, boolean fresh, Dumped dumped) {
      List<Step> steps = new ArrayList<>();
      if (!fresh) {
        // pg_dump --table dumps no schema: the missing tables' schemas, if absent.
        missing.stream().filter(r -> !r.isAggregate()).map(Relation::schema).distinct().forEach(s ->
            steps.add(new Step("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(s), "creating schema " + Sql.identifier(s))));
      }
      for (DumpScript.Entry entry : dumped.script().entries()) {
        if (!fresh && entry.type().equals("SCHEMA")) {
          continue;
        }
        steps.add(new Step(entry.sql(), "creating " + entry.type() + " "
            + (entry.schema().equals("-") ? "" : entry.schema() + ".") + entry.name() + " (from pg_dump)"));
      }
      List<String> created = new ArrayList<>();
      for (Relation r : missing) {
        if (!r.isAggregate()) {
          created.add(r.describe());
          if (r.isHypertable()) {
            hypertable(r, steps);
          }
        }
      }
      Future<Void> chain = target.query("BEGIN", "begin").mapEmpty();
      for (Step step : steps) {
        chain = chain.compose(v -> run(step.sql(), step.action()));
      }
      for (Relation r : missing) {
        if (r.isAggregate()) {
          created.add(r.describe());
          chain = chain.compose(v -> aggregate(r));
        }
      }
      return chain
          .compose(v -> target.query("COMMIT", "commit"))
          .map(v -> new SchemaResult(created, selected.size() - missing.size(), dumped.pgDump()))
          .recover(e -> target.query("ROLLBACK", "rollback").transform(x -> Future.failedFuture(e)));
    }

    private Future<Void> run(String statement, String action) {
      return target.script(statement).recover(e -> Future.failedFuture(
          DUPLICATES.contains(DbErrors.sqlState(e))
              ? BackfillException.usage(
                  "the target has an object of that name already, " + action + ": "
                      + DbErrors.serverMessage(e) + ". Nothing was written. Drop it on the target, or"
                      + " leave its tables out with --filter, then run schema again.")
              : DbErrors.translate(options.target(), action, e)));
    }

    private void hypertable(Relation r, List<Step> steps) {
      Shape shape = sourceShapes.get(r.key());
      String table = Sql.literal(r.qualified()) + "::regclass";
      List<Dimension> dims = shape.dimensions();
      for (int i = 0; i < dims.size(); i++) {
        Dimension d = dims.get(i);
        String spec = d.intervalLength() != null
            ? timescaledb + ".by_range(" + Sql.literal(d.column()) + ", " + interval(d) + partitioning(d) + ")"
            : timescaledb + ".by_hash(" + Sql.literal(d.column()) + ", " + d.numSlices() + partitioning(d) + ")";
        steps.add(new Step(i == 0
            ? "SELECT " + timescaledb + ".create_hypertable(" + table + ", " + spec + ", create_default_indexes => false)"
            : "SELECT " + timescaledb + ".add_dimension(" + table + ", " + spec + ")",
            "making " + r.qualified() + " a hypertable (dimension " + d.describe() + ")"));
        String now = shape.integerNow().get(i);
        if (!now.isEmpty()) {
          steps.add(new Step("SELECT " + timescaledb + ".set_integer_now_func(" + table + ", " + Sql.literal(now) + "::regproc)",
              "setting the integer now function of " + r.qualified()));
        }
      }
      if (r.compressed()) {
        steps.add(new Step("ALTER TABLE " + r.qualified() + " SET ("
            + compressionOptions(r.qualified(), "timescaledb.compress") + ")",
            "setting the compression of " + r.qualified()));
      }
    }

    private Future<Void> aggregate(Relation r) {
      String definition = definitions.get(r.key()).strip().replaceFirst(";$", "");
      String view = r.qualified();
      String create = "CREATE MATERIALIZED VIEW " + view + " WITH (timescaledb.continuous, timescaledb.materialized_only = "
          + Boolean.TRUE.equals(r.materializedOnly()) + ") AS " + definition + " WITH NO DATA";
      Dimension time = sourceShapes.get(r.key()).dimensions().get(0);
      return run(create, "creating continuous aggregate " + view)
          .compose(v -> target.query(Sql.CAGG_MATERIALIZATION, r.schema(), r.name()))
          .compose(rows -> run("SELECT " + timescaledb + ".set_chunk_time_interval("
              + Sql.literal(materialization(rows)) + "::regclass, " + interval(time) + ")",
              "setting the chunk interval of " + view))
          .compose(v -> indexes(r))
          .compose(v -> !r.compressed() ? Future.<Void>succeededFuture()
              : source.query(Sql.CAGG_MATERIALIZATION, r.schema(), r.name())
                  .compose(rows -> run("ALTER MATERIALIZED VIEW " + view + " SET ("
                      + compressionOptions(materialization(rows), "timescaledb.compress = true") + ")",
                      "setting the compression of " + view)));
    }

    /**
     * The source aggregate's indexes that the target's TimescaleDB did not make with it (the user's
     * own, CREATE INDEX ON the view), on the target's aggregate.
     */
    private Future<Void> indexes(Relation r) {
      return Future.all(source.query(Sql.CAGG_INDEXES, r.schema(), r.name()),
              target.query(Sql.CAGG_INDEXES, r.schema(), r.name()))
          .compose(both -> {
            RowSet<Row> mine = both.resultAt(0);
            RowSet<Row> theirs = both.resultAt(1);
            Set<String> present = new HashSet<>(ReactiveSession.map(theirs, SchemaPhase::indexDefinition));
            List<String> missing = ReactiveSession.map(mine, SchemaPhase::indexDefinition).stream()
                .filter(d -> !present.contains(d))
                .toList();
            return ReactiveSession.forEach(missing, d -> run(
                "CREATE " + (d.startsWith("UNIQUE ") ? "UNIQUE " : "") + "INDEX ON " + r.qualified() + " USING "
                    + d.replaceFirst("^UNIQUE ", ""),
                "creating an index on " + r.qualified()));
          });
    }

    private static String materialization(RowSet<Row> rows) {
      Row row = rows.iterator().next();
      return Sql.qualified(row.getString("schema_name"), row.getString("table_name"));
    }

    /**
     * {@code enable}, then the source's segmentby and orderby where it fixes them ({@code
     * timescaledb.compress_segmentby = '...'}); what it leaves to TimescaleDB stays so.
     */
    private String compressionOptions(String hypertable, String enable) {
      CompressionSettings s = compression.get(hypertable);
      List<String> options = new ArrayList<>(List.of(enable));
      if (s != null && s.segmentby() != null) {
        options.add("timescaledb.compress_segmentby = " + Sql.literal(
            s.segmentby().stream().map(Sql::identifier).collect(Collectors.joining(", "))));
      }
      if (s != null && s.orderby() != null) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < s.orderby().size(); i++) {
          order.add(Sql.identifier(s.orderby().get(i)) + (s.orderbyDesc().get(i) ? " DESC" : " ASC")
              + (s.orderbyNullsfirst().get(i) ? " NULLS FIRST" : " NULLS LAST"));
        }
        options.add("timescaledb.compress_orderby = " + Sql.literal(String.join(", ", order)));
      }
      return String.join(", ", options);
    }

    /** A dimension's chunk interval as create_hypertable takes it for its column's type. */
    private String interval(Dimension d) {
      return TIME_TYPES.contains(d.type())
          ? "INTERVAL '" + d.intervalLength() + " microseconds'"
          : d.intervalLength() + "::" + d.type();
    }

    private String partitioning(Dimension d) {
      return d.partitioningFunc().isEmpty() ? "" : ", " + Sql.literal(d.partitioningFunc()) + "::regproc";
    }
  }

  /** {@code UNIQUE btree (...)} or {@code btree (...)}: an index as {@code cagg_indexes.sql} gives it. */
  private static String indexDefinition(Row r) {
    return (r.getBoolean("is_unique") ? "UNIQUE " : "") + r.getString("definition");
  }

  private static List<String> signatures(List<Column> columns) {
    return columns.stream().map(Column::signature).toList();
  }

  private static String describe(List<Column> columns) {
    return columns.stream().map(Column::describe).collect(Collectors.joining(", "));
  }

  private static String describeDimensions(List<Dimension> dims) {
    return dims.stream().map(Dimension::describe).collect(Collectors.joining(", "));
  }
}
