package io.github.backfill.coordinator.status;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * {@code status}: reads the task queue on the target and sums it up per hypertable: staged, copied,
 * pending, verified and failed tasks, rows and bytes copied, and the last error of a task that is
 * still pending; and per worker node the chunks it copied and verified. Reads only; works on a schema left by the original tool too.
 */
public final class StatusPhase {
  private final Vertx vertx;
  private final ConnectionSettings target;

  public StatusPhase(Vertx vertx, ConnectionSettings target) {
    this.vertx = vertx;
    this.target = target;
  }

  public Future<StatusResult> run() {
    return Preflight.withServer(vertx, target, "reading the status", pool ->
        pool.query(Sql.BACKFILL_SCHEMA_EXISTS.text()).execute().compose(
            rows -> {
              if (!rows.iterator().next().getBoolean("present")) {
                return Future.succeededFuture(new StatusResult(false, List.of(), List.of()));
              }
              Future<List<HypertableProgress>> hypertables = pool.query(Sql.STATUS_BY_HYPERTABLE.text())
                  .execute()
                  .map(
                      progress ->
                          ReactiveSession.map(
                              progress,
                              r ->
                                  new HypertableProgress(
                                      r.getString("schema_name"),
                                      r.getString("table_name"),
                                      r.getString("display_name"),
                                      r.getLong("staged"),
                                      r.getLong("copied"),
                                      r.getLong("pending"),
                                      r.getLong("verified"),
                                      r.getLong("verify_failed"),
                                      r.getLong("rows"),
                                      r.getLong("bytes"),
                                      r.getString("last_error"))));
              return hypertables.compose(
                  list -> pool.query(Sql.STATUS_BY_NODE.text())
                      .execute()
                      .map(byNode -> new StatusResult(true, list, ReactiveSession.map(byNode,
                          r -> new NodeProgress(r.getString("node"), r.getLong("copied"), r.getLong("verified"))))));
            }));
  }
}
