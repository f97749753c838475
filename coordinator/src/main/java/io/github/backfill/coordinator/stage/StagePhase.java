package io.github.backfill.coordinator.stage;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.RegexFilter;
import io.github.backfill.common.db.ServerInfo;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.stage.StagePlanner.Action;
import io.github.backfill.coordinator.stage.StagePlanner.PlannedChunk;
import io.github.backfill.coordinator.stage.StagePlanner.StagedTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code stage}: finds the source chunks that hold rows before {@code --until} (and from
 * {@code --from}), checks that the target can receive each of them, creates the target chunks it
 * lacks, and queues one task per chunk in {@code __backfill.task} on the target, newest first.
 *
 * <p>Every check runs before anything is written: a refused stage leaves no schema, no session row,
 * no chunk. The writes then commit in batches, each holding whole task-and-chunk pairs, so that an
 * interrupted stage can simply be run again. A session advisory lock keeps two stages on one target
 * from interleaving. The source's catalog is read in one repeatable-read, read-only transaction,
 * which a hot standby also allows; it ends before the writes, so that what they read of the source
 * (the probe rows of a batch's chunks, a compressed chunk's definition) runs in a transaction of its
 * own: a chunk's locks then last one query, where one transaction over 100,000 chunks would hold a
 * lock on each and overflow the server's lock table.
 */
public final class StagePhase {
  /** Task inserts per target transaction. */
  static final int TASKS_PER_TRANSACTION = 1000;
  /** Chunk creations per target transaction: each takes several locks until commit. */
  static final int CREATIONS_PER_TRANSACTION = 100;

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  private final Vertx vertx;
  private final StageOptions options;
  private final Consumer<String> warn;

  /**
   * @param warn receives warnings and notices for stderr, one line each
   */
  public StagePhase(Vertx vertx, StageOptions options, Consumer<String> warn) {
    this.vertx = vertx;
    this.options = options;
    this.warn = warn;
  }

  public Future<StageResult> run() {
    return Preflight.withSessions(
        vertx, options.source(), options.target(),
        (source, target, sourceInfo, targetInfo, asStored) ->
            new Run(source, target, targetInfo, asStored).execute());
  }

  /** One stage run over one source and one target session. */
  private final class Run {
    private final ReactiveSession source;
    private final ReactiveSession target;
    private final ServerInfo targetInfo;
    /** Whether both sides run the same release, so that compressed batches travel as stored. */
    private final boolean asStored;
    private final Map<TimeType, Bound> untilBounds = new EnumMap<>(TimeType.class);
    private final Map<TimeType, Bound> fromBounds = new EnumMap<>(TimeType.class);
    private final Map<SourceHypertable, List<SourceChunk>> chunks = new LinkedHashMap<>();
    private final Map<SourceHypertable, List<Column>> sourceColumns = new LinkedHashMap<>();
    private final Map<SourceHypertable, List<Dimension>> sourceDimensions = new HashMap<>();
    private final Map<SourceHypertable, TargetHypertable> targets = new HashMap<>();
    private final Set<SourceHypertable> notHypertables = new HashSet<>();
    private List<SourceHypertable> hypertables;
    private boolean schemaPresent;
    private boolean schemaCurrent;
    private boolean maySkipTriggers;
    /** The source's compression settings by compressed chunk, read when the plan has any. */
    private Map<String, CompressionSettings> sourceCompression = Map.of();

    Run(ReactiveSession source, ReactiveSession target, ServerInfo targetInfo, boolean asStored) {
      this.source = source;
      this.target = target;
      this.targetInfo = targetInfo;
      this.asStored = asStored;
    }

    Future<StageResult> execute() {
      return validateFilter()
          .compose(v -> lock())
          .compose(v -> source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin"))
          .compose(v -> findHypertables())
          .compose(v -> resolveBounds())
          .compose(v -> findChunks())
          .compose(v -> refuseHypercore())
          .compose(v -> plan())
          .compose(plan -> source.query("ROLLBACK", "ending the source snapshot").map(plan))
          .compose(this::write)
          .eventually(() -> Future.join(source.close(), target.close()));
    }

    private Future<Void> validateFilter() {
      return RegexFilter.validate(source, options.filter(), "\"schema\".\"table\" names");
    }

    private Future<Void> lock() {
      return target
          .query(Sql.LOCK_STAGE)
          .compose(
              rows -> {
                if (rows.iterator().next().getBoolean("locked")) {
                  return Future.succeededFuture();
                }
                warn.accept(
                    "Waiting for another stage on this target database to finish...");
                return target.query(Sql.WAIT_LOCK_STAGE).mapEmpty();
              });
    }

    private Future<Void> findHypertables() {
      return source
          .query(Sql.STAGE_HYPERTABLES, options.filter(), options.cascadeUp(), options.cascadeDown())
          .compose(
              rows -> {
                hypertables =
                    ReactiveSession.map(
                        rows,
                        r ->
                            new SourceHypertable(
                                r.getInteger("id"),
                                r.getString("schema_name"),
                                r.getString("table_name"),
                                r.getString("time_column"),
                                r.getString("time_column_sql"),
                                TimeType.ofRegtype(r.getString("time_type")).orElse(null),
                                r.getString("time_type"),
                                r.getString("user_view_schema"),
                                r.getString("user_view_name"),
                                r.getString("display_name")));
                List<String> unsupported =
                    hypertables.stream()
                        .filter(h -> h.timeType() == null)
                        .map(h -> h.displayName() + " (column " + h.timeColumn() + " of type "
                            + h.rawTimeType() + ")")
                        .toList();
                if (!unsupported.isEmpty()) {
                  return Future.failedFuture(
                      BackfillException.usage(
                          "stage cannot bound the time of " + String.join(", ", unsupported)
                              + ": the time dimension must be one of " + TimeType.SUPPORTED
                              + ". Leave these hypertables out with --filter."));
                }
                return hypertables.isEmpty() ? explainEmptyFilter() : Future.succeededFuture();
              });
    }

    private Future<Void> explainEmptyFilter() {
      if (options.filter() == null) {
        warn.accept("Warning: the source database has no hypertables: nothing to stage.");
        return Future.succeededFuture();
      }
      return source
          .query(Sql.FILTER_PLAIN_TABLES, options.filter())
          .map(
              rows -> {
                List<String> plain = ReactiveSession.map(rows, r -> r.getString("name"));
                warn.accept(
                    "Warning: --filter '" + options.filter() + "' matches no hypertable and no"
                        + " continuous aggregate"
                        + (plain.isEmpty()
                            ? "."
                            : "; it matches only tables or views that are not hypertables ("
                                + String.join(", ", plain) + "), whose data backfill does not"
                                + " copy: the schema dump carries them.")
                        + " Nothing was staged.");
                return null;
              });
    }

    private Future<Void> resolveBounds() {
      Set<TimeType> types =
          hypertables.stream().map(SourceHypertable::timeType).collect(Collectors.toCollection(
              () -> java.util.EnumSet.noneOf(TimeType.class)));
      return ReactiveSession.forEach(
              new ArrayList<>(types),
              type ->
                  resolve("until", options.until(), type)
                      .compose(
                          until -> {
                            untilBounds.put(type, until);
                            return options.from() == null
                                ? Future.succeededFuture()
                                : resolve("from", options.from(), type)
                                    .map(from -> fromBounds.put(type, from));
                          }))
          .compose(
              v -> {
                for (TimeType type : types) {
                  Bound from = fromBounds.get(type);
                  if (from != null && from.internal() >= untilBounds.get(type).internal()) {
                    return Future.failedFuture(
                        BackfillException.usage(
                            "--from '" + options.from() + "' is not before --until '"
                                + options.until() + "': nothing lies between them. Give a --from"
                                + " earlier than --until."));
                  }
                }
                return Future.succeededFuture();
              });
    }

    private Future<Bound> resolve(String flag, String value, TimeType type) {
      if (type.isInteger() && !INTEGER.matcher(value).matches()) {
        return Future.failedFuture(notValidFor(flag, value, type, null));
      }
      return source
          .queryRaw(Sql.TIME_BOUND.textWith("TIME_TYPE", type.sqlName()), value)
          .map(rows -> {
            Row row = rows.iterator().next();
            return new Bound(value, row.getLong("internal"), row.getString("literal"));
          })
          .recover(
              e -> {
                String state = DbErrors.sqlState(e);
                return Future.failedFuture(
                    state != null && state.startsWith("22")
                        ? notValidFor(flag, value, type, DbErrors.serverMessage(e))
                        : DbErrors.translate(options.source(), "reading --" + flag, e));
              });
    }

    private BackfillException notValidFor(String flag, String value, TimeType type, String why) {
      List<String> users =
          hypertables.stream()
              .filter(h -> h.timeType().isInteger() == type.isInteger())
              .map(SourceHypertable::displayName)
              .toList();
      String kind =
          type.isInteger()
              ? "is not a valid integer and some matching hypertables use smallint, integer, or"
                  + " bigint time columns"
              : "is not a valid datetime and some matching hypertables use date, timestamp, or"
                  + " timestamptz time columns";
      return BackfillException.usage(
          flag + " argument '" + value + "' " + kind + " (" + String.join(", ", users) + ")"
              + (why == null ? "" : ": " + why)
              + ". Give a value of their time type, or select other hypertables with --filter.");
    }

    private Future<Void> findChunks() {
      return ReactiveSession.forEach(
          hypertables,
          h -> {
            Bound until = untilBounds.get(h.timeType());
            Bound from = fromBounds.get(h.timeType());
            return source
                .query(Sql.STAGE_CHUNKS, h.id(), until.internal(), from == null ? null : from.internal())
                .compose(rows -> offTheLoop(rows, r -> sourceChunk(h, r)))
                .map(
                    found -> {
                      if (!found.isEmpty()) {
                        chunks.put(h, found);
                      }
                      return null;
                    });
          });
    }

    /**
     * The hypercore table access method (TimescaleDB 2.18 to 2.21) is refused, in the original's
     * words: TimescaleDB 2.22 removed it, so such tables would have to be converted anyway.
     */
    private Future<Void> refuseHypercore() {
      if (chunks.isEmpty()) {
        return Future.succeededFuture();
      }
      Integer[] ids = chunks.keySet().stream().map(SourceHypertable::id).toArray(Integer[]::new);
      return source
          .query(Sql.HYPERCORE_RELATIONS, (Object) ids)
          .compose(
              rows -> {
                List<String> hypercore = ReactiveSession.map(rows, r -> r.getString("name"));
                return hypercore.isEmpty()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        BackfillException.usage(
                            "TimescaleDB does no longer support the hypercore table access method."
                                + " Convert the following tables to heap access method before"
                                + " upgrading: " + String.join(", ", hypercore) + ". Run ALTER"
                                + " TABLE ... SET ACCESS METHOD heap on each, then stage again."));
              });
    }

    /**
     * Maps a result row by row on a worker thread: a hypertable's chunks come one row each, with
     * their slices as JSON to parse, and a large source has 100,000 of them.
     */
    private <T> Future<List<T>> offTheLoop(RowSet<Row> rows, Function<Row, T> mapper) {
      return vertx.executeBlocking(() -> ReactiveSession.map(rows, mapper), false);
    }

    private SourceChunk sourceChunk(SourceHypertable hypertable, Row row) {
      String dimensions = row.getString("dimensions");
      return new SourceChunk(
          hypertable,
          parseSlices(row.getString("chunk_schema"), row.getString("chunk_name"), dimensions,
              TableRef.ofNullable(row.getString("compressed_schema"), row.getString("compressed_name"))),
          row.getLong("range_start"),
          row.getLong("range_end"),
          dimensions);
    }

    private Future<List<PlannedChunk>> plan() {
      if (chunks.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return ReactiveSession.forEach(new ArrayList<>(chunks.keySet()), this::readBothSides)
          .compose(v -> readStagedTasks())
          // Work in the number of chunks, off the event loop: a large source has 100,000 of them.
          .compose(
              staged ->
                  vertx.executeBlocking(
                      () -> {
                        StagePlanner.checkHypertables(sourceColumns, targets, notHypertables);
                        List<PlannedChunk> matched =
                            StagePlanner.matchChunks(
                                StagePlanner.newestFirst(chunks), targets, sourceDimensions,
                                targetInfo.hasTslLicense());
                        return StagePlanner.classify(
                            matched, untilBounds, fromBounds, staged, asStored);
                      },
                      false))
          .compose(
              plan -> {
                if (plan.stream().noneMatch(p -> p.chunk().ref().compressed() != null)) {
                  return Future.succeededFuture(plan);
                }
                return Future.all(CompressionSettings.read(source), CompressionSettings.read(target))
                    .map(
                        settings -> {
                          sourceCompression = settings.resultAt(0);
                          StagePlanner.checkCompressionSettings(
                              plan, sourceCompression, settings.resultAt(1));
                          return plan;
                        });
              });
    }

    private Future<Void> readBothSides(SourceHypertable h) {
      Future<Void> sourceSide =
          source
              .query(Sql.TABLE_COLUMNS, h.schema(), h.name())
              .compose(
                  columns -> {
                    sourceColumns.put(h, ReactiveSession.map(columns, Column::of));
                    return source.query(Sql.HYPERTABLE_DIMENSIONS, h.id());
                  })
              .map(
                  dims -> {
                    sourceDimensions.put(h, ReactiveSession.map(dims, Dimension::of));
                    return null;
                  });
      String lookupSchema = h.isContinuousAggregate() ? h.viewSchema() : h.schema();
      String lookupName = h.isContinuousAggregate() ? h.viewName() : h.name();
      Future<Void> targetSide =
          target
              .query(Sql.FIND_HYPERTABLE, lookupSchema, lookupName, h.isContinuousAggregate())
              .compose(
                  found -> {
                    Row row = found.iterator().next();
                    Integer id = row.getInteger("id");
                    if (id == null) {
                      if (row.getBoolean("relation_exists")) {
                        notHypertables.add(h);
                      }
                      return Future.succeededFuture();
                    }
                    return readTargetHypertable(
                        h, id, row.getString("schema_name"), row.getString("table_name"));
                  });
      return sourceSide.compose(v -> targetSide);
    }

    private Future<Void> readTargetHypertable(
        SourceHypertable h, int id, String schema, String name) {
      return target
          .query(Sql.TABLE_COLUMNS, schema, name)
          .compose(
              columns ->
                  target
                      .query(Sql.HYPERTABLE_DIMENSIONS, id)
                      .compose(
                          dims ->
                              target
                                  .query(Sql.HYPERTABLE_CHUNK_SLICES, id)
                                  .compose(rows -> offTheLoop(rows, StagePhase::chunkRef))
                                  .map(
                                      slices -> {
                                        targets.put(
                                            h,
                                            new TargetHypertable(
                                                id,
                                                schema,
                                                name,
                                                ReactiveSession.map(dims, Dimension::of),
                                                ReactiveSession.map(columns, Column::of),
                                                slices));
                                        return null;
                                      })));
    }

    private Future<Map<String, StagedTask>> readStagedTasks() {
      return target
          .query(Sql.BACKFILL_SCHEMA_EXISTS)
          .compose(
              rows -> {
                Row row = rows.iterator().next();
                schemaPresent = row.getBoolean("present");
                schemaCurrent = row.getBoolean("current");
                if (!schemaPresent) {
                  return Future.succeededFuture(Map.of());
                }
                return target
                    .query(Sql.STAGED_TASKS)
                    .map(
                        tasks -> {
                          Map<String, StagedTask> staged = new HashMap<>();
                          for (Row t : tasks) {
                            staged.put(
                                StagePlanner.key(t.getString("chunk_schema"), t.getString("chunk_name")),
                                new StagedTask(t.getString("filter"), t.getBoolean("copied")));
                          }
                          return staged;
                        });
              });
    }

    private Future<StageResult> write(List<PlannedChunk> plan) {
      int skipped = (int) plan.stream().filter(p -> p.action() == Action.SKIP).count();
      List<PlannedChunk> work = plan.stream().filter(PlannedChunk::needsWork).toList();
      int staged = (int) work.stream().filter(p -> p.action() == Action.NEW).count();
      int replanned = (int) work.stream().filter(p -> p.action() == Action.REPLAN).count();
      int creations = (int) work.stream().filter(PlannedChunk::needsTargetChunk).count();
      int compressedCreations = (int) work.stream().filter(PlannedChunk::needsCompressedChunk).count();
      Future<StageResult> done =
          Future.succeededFuture(
              new StageResult(staged, skipped, replanned, creations, compressedCreations));
      UUID session = UUID.randomUUID();
      if (work.isEmpty()) {
        // As the original: a stage that finds nothing still leaves the schema, so that copy says
        // there is nothing pending and clean has a schema to drop.
        Future<Void> schema =
            schemaPresent && schemaCurrent
                ? Future.succeededFuture()
                : commitOrRollBack(begin(true, session));
        return schema.compose(v -> done);
      }
      Future<Void> prepare =
          creations > 0 && !targetInfo.hasTslLicense()
              ? target
                  .query(Sql.MAY_SKIP_TRIGGERS)
                  .map(rows -> {
                    maySkipTriggers = rows.iterator().next().getBoolean("allowed");
                    return null;
                  })
              : Future.succeededFuture();
      List<List<PlannedChunk>> batches = batches(work);
      return prepare
          .compose(
              v -> {
                Future<Void> chain = Future.succeededFuture();
                for (int i = 0; i < batches.size(); i++) {
                  boolean first = i == 0;
                  List<PlannedChunk> batch = batches.get(i);
                  chain = chain.compose(x -> writeBatch(batch, first, session));
                }
                return chain;
              })
          .compose(v -> done);
    }

    private List<List<PlannedChunk>> batches(List<PlannedChunk> work) {
      List<List<PlannedChunk>> batches = new ArrayList<>();
      List<PlannedChunk> current = new ArrayList<>();
      int creations = 0;
      for (PlannedChunk planned : work) {
        boolean creates = planned.needsTargetChunk() || planned.needsCompressedChunk();
        if (current.size() == TASKS_PER_TRANSACTION
            || (creates && creations == CREATIONS_PER_TRANSACTION)) {
          batches.add(current);
          current = new ArrayList<>();
          creations = 0;
        }
        current.add(planned);
        if (creates) {
          creations++;
        }
      }
      batches.add(current);
      return batches;
    }

    /** Opens a target transaction; the first also creates or upgrades the schema and records the session. */
    private Future<?> begin(boolean first, UUID session) {
      Future<?> begin = target.query("BEGIN", "begin");
      if (!first) {
        return begin;
      }
      return begin
          .compose(
              v ->
                  schemaPresent && schemaCurrent
                      ? Future.succeededFuture()
                      : target.query(Sql.INIT_BACKFILL_SCHEMA.text(), "creating the __backfill schema"))
          .compose(v -> target.query(Sql.INSERT_SESSION, session.toString()));
    }

    private Future<Void> writeBatch(List<PlannedChunk> batch, boolean first, UUID session) {
      Future<?> begin = begin(first, session);
      boolean creates = batch.stream().anyMatch(PlannedChunk::needsTargetChunk);
      if (creates && maySkipTriggers) {
        begin = begin.compose(v -> target.query("SET LOCAL session_replication_role = replica", "skipping triggers"));
      }
      List<Tuple> inserts = new ArrayList<>();
      List<Tuple> replans = new ArrayList<>();
      for (PlannedChunk p : batch) {
        SourceChunk c = p.chunk();
        if (p.action() == Action.NEW) {
          inserts.add(
              Tuple.from(
                  java.util.Arrays.asList(
                      c.ref().schema(),
                      c.ref().name(),
                      c.hypertable().schema(),
                      c.hypertable().name(),
                      c.dimensions(),
                      p.filter(),
                      options.snapshot(),
                      options.until(),
                      options.from())));
        } else if (p.action() == Action.REPLAN) {
          replans.add(
              Tuple.from(
                  java.util.Arrays.asList(
                      c.ref().schema(), c.ref().name(), p.filter(), options.until(), options.from())));
        }
      }
      List<PlannedChunk> creating =
          batch.stream().filter(p -> p.needsTargetChunk() || p.needsCompressedChunk()).toList();
      Future<Map<PlannedChunk, String[]>> probeRows = readProbeRows(creating);
      // The creations are independent statements of one transaction: sent at once, pipelined.
      Future<?> written = Future.all(begin, probeRows)
          .compose(
              v ->
                  ReactiveSession.pipelined(
                      creating,
                      p -> (p.needsTargetChunk()
                              ? createTargetChunk(p, probeRows.result().get(p))
                              : Future.<ChunkRef>succeededFuture(p.target()))
                          .compose(chunk -> p.needsCompressedChunk()
                              ? new CompressedChunkCreator(source, target, p, chunk)
                                  .create()
                                  .compose(created -> checkCreatedCompression(p, chunk))
                              : Future.succeededFuture())))
          .compose(v -> target.batch(Sql.INSERT_TASK, inserts))
          .compose(v -> target.batch(Sql.REPLAN_TASK, replans));
      return commitOrRollBack(written);
    }

    /** Commits the target transaction {@code work} wrote in, or rolls it back when {@code work} failed. */
    private Future<Void> commitOrRollBack(Future<?> work) {
      return work
          .compose(v -> target.query("COMMIT", "commit"))
          .<Void>mapEmpty()
          .recover(e -> target.query("ROLLBACK", "rollback").transform(x -> Future.failedFuture(e)));
    }

    /**
     * The probe rows of the chunks in {@code creating} that the target must create through one
     * (where it lacks the TSL license), read from the source in one query beside the target's BEGIN.
     */
    private Future<Map<PlannedChunk, String[]>> readProbeRows(List<PlannedChunk> creating) {
      if (targetInfo.hasTslLicense()) {
        return Future.succeededFuture(Map.of());
      }
      return ProbeRow.read(
          source, creating.stream().filter(PlannedChunk::needsTargetChunk).toList(), sourceColumns::get);
    }

    /**
     * Creates the target chunk for {@code planned} with exactly the source chunk's slices, then
     * checks that it has them.
     *
     * @param probeRow the source chunk's probe row where the target creates it through one (null
     *     for an empty chunk)
     */
    private Future<ChunkRef> createTargetChunk(PlannedChunk planned, String[] probeRow) {
      Future<ChunkRef> created =
          targetInfo.hasTslLicense()
              ? target
                  .query(
                      Sql.CREATE_CHUNK.text(),
                      planned.creationAction(),
                      planned.targetHypertable().qualifiedName(),
                      StagePlanner.createChunkSlices(planned.chunk().ref()))
                  .compose(
                      rows -> {
                        Row row = rows.iterator().next();
                        return slicesOf(row.getString("chunk_schema"), row.getString("chunk_name"));
                      })
              : new ProbeRow(target, planned, sourceColumns.get(planned.chunk().hypertable()),
                      sourceDimensions.get(planned.chunk().hypertable()), probeRow)
                  .createChunk(this::slicesOf);
      return created.compose(
          chunk -> {
            if (!chunk.sameSlicesAs(planned.chunk().ref())) {
              return Future.failedFuture(
                  BackfillException.usage(
                      "cannot stage chunk " + planned.chunk().ref().qualifiedName() + " of "
                          + planned.chunk().hypertable().displayName() + ": the target created "
                          + chunk.qualifiedName() + " with slices " + chunk.describeSlices()
                          + " instead of " + planned.chunk().ref().describeSlices()
                          + ". The target hypertable's chunking differs from the source's; give it"
                          + " the source's settings, then run stage again."));
            }
            return Future.succeededFuture(chunk);
          });
    }

    /**
     * The compressed chunk just created for {@code planned} has the settings TimescaleDB gave it
     * (those the hypertable leaves open it derives then): they must be the source chunk's.
     */
    private Future<Void> checkCreatedCompression(PlannedChunk planned, ChunkRef chunk) {
      CompressionSettings source = sourceCompression.get(planned.chunk().ref().compressed().qualifiedName());
      if (source == null) {
        return Future.succeededFuture();
      }
      return target
          .query(Sql.CHUNK_COMPRESSION_SETTINGS, chunk.schema(), chunk.name())
          .compose(
              rows -> {
                CompressionSettings created =
                    rows.iterator().hasNext() ? CompressionSettings.of(rows.iterator().next()) : null;
                StagePlanner.requireSameCompression(
                    planned, source, "compressed chunk the target gave " + chunk.qualifiedName(), created);
                return Future.<Void>succeededFuture();
              });
    }

    private Future<ChunkRef> slicesOf(String schema, String name) {
      return target
          .query(Sql.CHUNK_SLICES, schema, name)
          .map(rows -> parseSlices(schema, name, rows.iterator().next().getString("slices"), null));
    }
  }

  private static ChunkRef chunkRef(Row r) {
    return parseSlices(r.getString("chunk_schema"), r.getString("chunk_name"), r.getString("slices"),
        TableRef.ofNullable(r.getString("compressed_schema"), r.getString("compressed_name")));
  }

  static ChunkRef parseSlices(String schema, String name, String json, TableRef compressed) {
    Map<String, Slice> slices = new LinkedHashMap<>();
    if (json != null) {
      for (Object o : new JsonArray(json)) {
        JsonObject d = (JsonObject) o;
        String column = d.getString("column_name");
        slices.put(column, new Slice(column, d.getLong("range_start"), d.getLong("range_end")));
      }
    }
    return new ChunkRef(schema, name, slices, compressed);
  }
}
