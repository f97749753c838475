package io.github.backfill.coordinator.phase;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

/**
 * {@code clean}: drops the {@code __backfill} schema from the target, and with it every task, staged
 * or done. It leaves chunks and their data as they are. Unlike the original, a missing schema is not
 * an error: there is nothing to do, and a re-run of a runbook step must not fail for it.
 *
 * <p>It refuses, writing nothing, while a copy, verify or stage is running on the target (they hold
 * advisory locks that clean tries to take): dropping the queue under a run would fail it halfway.
 */
public final class CleanPhase {
  private final Vertx vertx;
  private final ConnectionSettings target;

  public CleanPhase(Vertx vertx, ConnectionSettings target) {
    this.vertx = vertx;
    this.target = target;
  }

  public Future<CleanResult> run() {
    // One connection for the lock check and the drop: the advisory locks are the session's.
    return Preflight.withServer(
        vertx,
        target,
        "clean",
        pool -> pool.withConnection(c -> clean(ReactiveSession.quiet(c, target))));
  }

  private Future<CleanResult> clean(SqlConnection connection) {
    return connection.query(Sql.BACKFILL_SCHEMA_EXISTS.text())
        .execute()
        .compose(
            rows -> {
              if (!rows.iterator().next().getBoolean("present")) {
                return Future.succeededFuture(new CleanResult(false));
              }
              return connection.query(Sql.TRY_LOCK_CLEAN.text())
                  .execute()
                  .compose(
                      locks -> {
                        Row row = locks.iterator().next();
                        if (!row.getBoolean("no_run")) {
                          return Future.failedFuture(busy("copy or verify"));
                        }
                        if (!row.getBoolean("no_stage")) {
                          return Future.failedFuture(busy("stage"));
                        }
                        return connection.query(Sql.DROP_BACKFILL_SCHEMA.text())
                            .execute()
                            .map(done -> new CleanResult(true));
                      });
            });
  }

  private BackfillException busy(String what) {
    return BackfillException.usage(
        "a "
            + what
            + " is running on the target database \""
            + target.database()
            + "\" at "
            + target.address()
            + ", and clean would drop its tasks. Let it finish or stop it (Ctrl-C), then run clean"
            + " again.");
  }
}
