package io.github.backfill.common.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One reactive connection to one server, for control-plane work that needs a single session
 * (transactions, advisory locks). Every failure is translated into a message that names the server.
 */
public final class ReactiveSession {
  private final SqlConnection connection;
  private final ConnectionSettings settings;

  public ReactiveSession(SqlConnection connection, ConnectionSettings settings) {
    this.connection = connection;
    this.settings = settings;
  }

  /** Takes one connection from {@code pool}; a failure names the server. */
  public static Future<ReactiveSession> open(io.vertx.sqlclient.Pool pool, ConnectionSettings settings) {
    return pool.getConnection()
        .map(c -> new ReactiveSession(c, settings))
        .recover(e -> Future.failedFuture(DbErrors.translate(settings, "connecting", e)));
  }

  public ConnectionSettings settings() {
    return settings;
  }

  /** Runs one of the tool's statements with positional parameters (nulls allowed). */
  public Future<RowSet<Row>> query(Sql sql, Object... params) {
    return query(sql.text(), sql.name().toLowerCase(java.util.Locale.ROOT), params);
  }

  /** Runs a statement; {@code action} names it in an error message. */
  public Future<RowSet<Row>> query(String statement, String action, Object... params) {
    Future<RowSet<Row>> result =
        params.length == 0
            ? connection.query(statement).execute()
            : connection.preparedQuery(statement).execute(Tuple.from(Arrays.asList(params)));
    return result.recover(e -> Future.failedFuture(DbErrors.translate(settings, action, e)));
  }

  /** Runs a statement once per parameter tuple, in one round trip. */
  public Future<Void> batch(Sql sql, List<Tuple> tuples) {
    if (tuples.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection
        .preparedQuery(sql.text())
        .executeBatch(tuples)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(DbErrors.translate(settings, sql.name().toLowerCase(java.util.Locale.ROOT), e)));
  }

  /** Runs a statement without translating its failure, for callers that inspect the SQLSTATE. */
  public Future<RowSet<Row>> queryRaw(String statement, Object... params) {
    return connection.preparedQuery(statement).execute(Tuple.from(Arrays.asList(params)));
  }

  /** Maps every row of a result. */
  public static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> list = new ArrayList<>(rows.size());
    for (Row row : rows) {
      list.add(mapper.apply(row));
    }
    return list;
  }

  /**
   * Runs {@code step} for each item, one after another, never two at once on this connection.
   */
  public static <T> Future<Void> forEach(List<T> items, Function<T, Future<?>> step) {
    Future<?> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(ignored -> step.apply(item));
    }
    return chain.mapEmpty();
  }

  public Future<Void> close() {
    return connection.close();
  }
}
