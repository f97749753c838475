package io.github.backfill.coordinator.phase;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code clean}: drops the {@code __backfill} schema from the target, and with it every task, staged
 * or done. It leaves chunks and their data as they are. Unlike the original, a missing schema is not
 * an error: there is nothing to do, and a re-run of a runbook step must not fail for it.
 */
public final class CleanPhase {
  private final Vertx vertx;
  private final ConnectionSettings target;

  public CleanPhase(Vertx vertx, ConnectionSettings target) {
    this.vertx = vertx;
    this.target = target;
  }

  public Future<CleanResult> run() {
    return Preflight.withServer(vertx, target, "clean", pool ->
        pool.query(Sql.BACKFILL_SCHEMA_EXISTS.text())
            .execute()
            .compose(
                rows -> {
                  if (!rows.iterator().next().getBoolean("present")) {
                    return Future.succeededFuture(new CleanResult(false));
                  }
                  return pool.query(Sql.DROP_BACKFILL_SCHEMA.text())
                      .execute()
                      .map(done -> new CleanResult(true));
                }));
  }
}
