package io.github.backfill.worker.task;

import io.github.backfill.common.db.DbErrors;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;

/**
 * Which failures are worth another try: a dropped connection (of either client), a server shutting down or
 * starting, a serialization failure, a deadlock, a lock timeout, too many connections. A permanent
 * failure (a refused login, a missing object, bad data) is never retried.
 */
public final class TransientErrors {
  private static final Set<String> TRANSIENT_STATES =
      Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300", "53400", "25P03");

  private TransientErrors() {}

  public static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PermanentTaskException) {
        return false;
      }
    }
    String state = DbErrors.sqlState(error);
    if (state != null) {
      return state.startsWith("08") || TRANSIENT_STATES.contains(state);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }
}
