package io.github.backfill.coordinator.phase;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveClients;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.RegexFilter;
import io.github.backfill.common.db.ServerInfo;
import io.github.backfill.common.db.Sql;
import io.github.backfill.coordinator.phase.RefreshCaggsResult.Refresh;
import io.github.backfill.coordinator.stage.TimeType;
import io.github.backfill.worker.RetryPolicy;
import io.github.backfill.worker.task.TransientErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code refresh-caggs}: brings the target's continuous aggregates up to the source's. It reads the
 * watermark of every continuous aggregate of the source (or of those that {@code --filter} and the
 * cascades select), finds the aggregate with the same view schema and name on the target, and
 * refreshes it there from the target's watermark to the source's with
 * {@code CALL refresh_continuous_aggregate}, parents before children. Each call runs alone in
 * autocommit, as TimescaleDB requires; no background job is involved, and no {@code __backfill} schema
 * is needed.
 *
 * <p>It leaves each refreshed aggregate with the source's watermark. An aggregate already there is left
 * alone, so a run that fails midway keeps what it refreshed and is simply run again.
 */
public final class RefreshCaggsPhase {
  private static final RetryPolicy RETRY = RetryPolicy.DEFAULT;

  private final Vertx vertx;
  private final RefreshCaggsOptions options;
  private final Consumer<String> progress;
  private final Consumer<String> warn;

  /**
   * @param progress receives the original's {@code Refreshing continuous aggregate ...} line before
   *     each refresh, for stdout
   * @param warn receives warnings, one line each, for stderr
   */
  public RefreshCaggsPhase(
      Vertx vertx, RefreshCaggsOptions options, Consumer<String> progress, Consumer<String> warn) {
    this.vertx = vertx;
    this.options = options;
    this.progress = progress;
    this.warn = warn;
  }

  public Future<RefreshCaggsResult> run() {
    Pool sourcePool = ReactiveClients.pool(vertx, options.source(), 1);
    Pool targetPool = ReactiveClients.pool(vertx, options.target(), 1);
    return Future.all(
            Preflight.probe(sourcePool, options.source()),
            Preflight.probe(targetPool, options.target()))
        .compose(
            probes -> {
              ServerInfo source = Preflight.requireTimescaleDb(probes.resultAt(0));
              ServerInfo target = Preflight.requireTimescaleDb(probes.resultAt(1));
              return Preflight.requireDistinctDatabases(
                      options.source(), sourcePool, options.target(), targetPool)
                  .compose(distinct -> attempt(sourcePool, source, targetPool, target, 1));
            })
        .eventually(() -> Future.join(sourcePool.close(), targetPool.close()));
  }

  /**
   * One pass over fresh sessions. A transient failure (a dropped session, a server restart, a lock
   * timeout) starts another after a pause, as {@link RetryPolicy#DEFAULT} says: it plans anew from
   * the watermarks, so what the failed pass refreshed is not refreshed again.
   */
  private Future<RefreshCaggsResult> attempt(
      Pool sourcePool, ServerInfo sourceInfo, Pool targetPool, ServerInfo targetInfo, int attempt) {
    Future<ReactiveSession> source = ReactiveSession.open(sourcePool, sourceInfo);
    Future<ReactiveSession> target = ReactiveSession.open(targetPool, targetInfo);
    return Future.join(source, target)
        .transform(
            opened -> {
              if (opened.succeeded()) {
                return new Run(source.result(), target.result()).execute();
              }
              // The one that did open goes back to its pool of one, for the next attempt.
              List<Future<Void>> closing =
                  Stream.of(source, target)
                      .filter(Future::succeeded)
                      .map(session -> session.result().close())
                      .toList();
              return Future.join(closing)
                  .transform(closed -> Future.<RefreshCaggsResult>failedFuture(opened.cause()));
            })
        .recover(
            error -> {
              if (!TransientErrors.isTransient(error)) {
                return Future.failedFuture(error);
              }
              if (attempt >= RETRY.attempts()) {
                return Future.failedFuture(
                    BackfillException.failed(
                        error.getMessage().replaceFirst("\\.$", "") + " (after " + attempt
                            + " attempts). Aggregates already refreshed stay so; run refresh-caggs"
                            + " again to resume.",
                        error));
              }
              long delay = RETRY.delayAfter(attempt);
              warn.accept(
                  "Warning: attempt " + attempt + " of " + RETRY.attempts() + " failed, retrying"
                      + " in " + delay + " ms: " + error.getMessage());
              return vertx
                  .timer(delay)
                  .compose(x -> attempt(sourcePool, sourceInfo, targetPool, targetInfo, attempt + 1));
            });
  }

  /** One refresh-caggs run over one source and one target session. */
  private final class Run {
    private final ReactiveSession source;
    private final ReactiveSession target;

    Run(ReactiveSession source, ReactiveSession target) {
      this.source = source;
      this.target = target;
    }

    Future<RefreshCaggsResult> execute() {
      return RegexFilter.validate(
              source, options.filter(), "\"schema\".\"view\" names of continuous aggregates")
          .compose(
              v ->
                  source.query(
                      Sql.REFRESH_CAGGS_WATERMARKS,
                      options.filter(),
                      options.cascadeUp(),
                      options.cascadeDown()))
          .compose(this::refreshUpToSource)
          .eventually(() -> Future.join(source.close(), target.close()));
    }

    private Future<RefreshCaggsResult> refreshUpToSource(RowSet<Row> sourceRows) {
      JsonArray watermarks = new JsonArray();
      for (Row r : sourceRows) {
        watermarks.add(
            new JsonObject()
                .put("view_schema", r.getString("view_schema"))
                .put("view_name", r.getString("view_name"))
                .put("watermark", r.getLong("watermark")));
      }
      if (watermarks.isEmpty()) {
        return Future.succeededFuture(new RefreshCaggsResult(0, List.of()));
      }
      return target
          .query(Sql.REFRESH_CAGGS_PLAN, watermarks.encode())
          .compose(this::plan)
          .compose(
              planned ->
                  ReactiveSession.forEach(planned, this::refresh)
                      .map(
                          v ->
                              new RefreshCaggsResult(
                                  watermarks.size(),
                                  planned.stream().map(PlannedRefresh::refresh).toList())));
    }

    /**
     * The refreshes to run, parents first. Every aggregate is checked before the first refresh: an
     * unsupported time type refuses the whole run.
     */
    private Future<List<PlannedRefresh>> plan(RowSet<Row> rows) {
      List<PlannedRefresh> planned = new ArrayList<>();
      List<String> unsupported = new ArrayList<>();
      for (Row r : rows) {
        String schema = r.getString("view_schema");
        String view = r.getString("view_name");
        String name = "'" + schema + "'.'" + view + "'";
        if (!r.getBoolean("on_target")) {
          warn.accept(
              "Warning: continuous aggregate " + name + " exists on the source but not on the"
                  + " target, so it is not refreshed. Create it on the target as the source has"
                  + " it, then run refresh-caggs again.");
          continue;
        }
        if (!r.getBoolean("behind")) {
          continue;
        }
        Optional<TimeType> type = TimeType.ofRegtype(r.getString("time_type"));
        if (type.isEmpty()) {
          unsupported.add(name + " (" + r.getString("time_type") + ")");
          continue;
        }
        planned.add(
            new PlannedRefresh(
                new Refresh(schema, view, r.getString("window_start"), r.getString("window_end")),
                type.get()));
      }
      if (!unsupported.isEmpty()) {
        return Future.failedFuture(
            BackfillException.usage(
                "refresh-caggs cannot refresh " + String.join(", ", unsupported)
                    + ": the time column of a continuous aggregate must be one of "
                    + TimeType.SUPPORTED + ". Leave these aggregates out with --filter."));
      }
      return Future.succeededFuture(planned);
    }

    private Future<?> refresh(PlannedRefresh planned) {
      Refresh refresh = planned.refresh();
      progress.accept(refresh.line());
      return target.query(
          Sql.REFRESH_CONTINUOUS_AGGREGATE.textWith("TIME_TYPE", planned.timeType().sqlName()),
          "refreshing continuous aggregate '" + refresh.viewSchema() + "'.'" + refresh.viewName()
              + "'",
          refresh.viewSchema(),
          refresh.viewName(),
          refresh.windowStart(),
          refresh.windowEnd());
    }
  }

  /** A refresh and the type its bounds are cast to, which comes from {@link TimeType}'s fixed list. */
  private record PlannedRefresh(Refresh refresh, TimeType timeType) {}
}
