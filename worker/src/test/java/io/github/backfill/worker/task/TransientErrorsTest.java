package io.github.backfill.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.BackfillException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.EOFException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TransientErrorsTest {
  private static PgException server(String sqlState) {
    return new PgException("message", "ERROR", sqlState, null);
  }

  private static BackfillException wrapped(Throwable cause) {
    return BackfillException.failed("copying failed on the target server", cause);
  }

  @Test
  void lostSessionsOfEitherClientAreTransient() {
    assertThat(TransientErrors.isTransient(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(TransientErrors.isTransient(wrapped(ClosedConnectionException.INSTANCE))).isTrue();
    assertThat(TransientErrors.isTransient(wrapped(new EOFException()))).isTrue();
    assertThat(TransientErrors.isTransient(new SQLException("I/O error", "08006"))).isTrue();
  }

  @Test
  void serverStatesThatAnotherTryMayGetPastAreTransient() {
    for (String state : new String[] {"57P01", "57P03", "40001", "40P01", "55P03", "53300", "08001"}) {
      assertThat(TransientErrors.isTransient(wrapped(server(state)))).as(state).isTrue();
    }
  }

  @Test
  void permanentFailuresAreNot() {
    for (String state : new String[] {"28P01", "42P01", "42501", "22P02", "23505", "3D000"}) {
      assertThat(TransientErrors.isTransient(wrapped(server(state)))).as(state).isFalse();
    }
    assertThat(TransientErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
    assertThat(TransientErrors.isTransient(wrapped(new PermanentTaskException("bad data")))).isFalse();
  }
}
