package io.github.backfill.common.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reactive connection to one server, for control-plane work that needs a single session
 * (transactions, advisory locks). Every failure is translated into a message that names the server.
 * It runs each of the tool's statements in the variant that the server's TimescaleDB release needs,
 * as preflight learned it.
 */
public final class ReactiveSession {
  private static final Logger LOG = LoggerFactory.getLogger(ReactiveSession.class);

  private final SqlConnection connection;
  private final ConnectionSettings settings;
  private final TimescaleVersion catalog;
  /** The server's error that ended the session ({@code FATAL}), once it has. */
  private volatile Throwable endedBy;

  public ReactiveSession(SqlConnection connection, ConnectionSettings settings, TimescaleVersion catalog) {
    this.settings = settings;
    this.catalog = catalog;
    this.connection =
        connection.exceptionHandler(
            e -> {
              endedBy = e;
              logEnded(settings, e);
            });
    // The server's warnings (such as TimescaleDB's advice on compression settings) in one plain
    // line naming the server, rather than the client's dump of every notice field.
    if (connection instanceof PgConnection pg) {
      pg.noticeHandler(
          notice -> LOG.warn("the {} server warns: {}", settings.role().label(), notice.getMessage()));
    }
  }

  /**
   * Keeps Vert.x from printing a stack trace to stderr when the server ends the session (a restart,
   * {@code pg_terminate_backend}): it does so for a connection without an exception handler. The
   * statement in flight fails anyway, and its caller reports it.
   */
  public static SqlConnection quiet(SqlConnection connection, ConnectionSettings settings) {
    return connection.exceptionHandler(e -> logEnded(settings, e));
  }

  private static void logEnded(ConnectionSettings settings, Throwable e) {
    LOG.debug("the {} server ended a session: {}", settings.role().label(), e.getMessage());
  }

  /**
   * Takes one connection from {@code pool} to the server {@code info} describes (from
   * {@link Preflight#probe}, with a supported TimescaleDB); a failure names the server.
   */
  public static Future<ReactiveSession> open(io.vertx.sqlclient.Pool pool, ServerInfo info) {
    TimescaleVersion catalog = TimescaleVersion.require(info);
    return pool.getConnection()
        .map(c -> new ReactiveSession(c, info.settings(), catalog))
        .recover(e -> Future.failedFuture(DbErrors.translate(info.settings(), "connecting", e)));
  }

  public ConnectionSettings settings() {
    return settings;
  }

  /** Runs one of the tool's statements with positional parameters (nulls allowed). */
  public Future<RowSet<Row>> query(Sql sql, Object... params) {
    return query(sql.text(catalog), sql.name().toLowerCase(java.util.Locale.ROOT), params);
  }

  /** Runs a statement; {@code action} names it in an error message. */
  public Future<RowSet<Row>> query(String statement, String action, Object... params) {
    Future<RowSet<Row>> result =
        params.length == 0
            ? connection.query(statement).execute()
            : connection.preparedQuery(statement).execute(Tuple.from(Arrays.asList(params)));
    return result.recover(e -> failure(action, e));
  }

  /** Runs a statement once per parameter tuple, in one round trip. */
  public Future<Void> batch(Sql sql, List<Tuple> tuples) {
    if (tuples.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection
        .preparedQuery(sql.text(catalog))
        .executeBatch(tuples)
        .<Void>mapEmpty()
        .recover(e -> failure(sql.name().toLowerCase(java.util.Locale.ROOT), e));
  }

  /**
   * {@code action} failed: the message names the server and, where the server ended the session,
   * gives its reason (such as {@code terminating connection due to administrator command}) rather
   * than the lost connection that followed.
   */
  private <T> Future<T> failure(String action, Throwable error) {
    Throwable ended = endedBy;
    Throwable reason = ended != null && DbErrors.sqlState(error) == null ? ended : error;
    return Future.failedFuture(DbErrors.translate(settings, action, reason));
  }

  /** Runs a statement without translating its failure, for callers that inspect the SQLSTATE. */
  public Future<RowSet<Row>> queryRaw(String statement, Object... params) {
    return connection.preparedQuery(statement).execute(Tuple.from(Arrays.asList(params)));
  }

  /**
   * Runs one or more statements separated by semicolons (the simple query protocol), without
   * translating a failure, for callers that inspect the SQLSTATE.
   */
  public Future<Void> script(String statements) {
    return connection.query(statements).execute().mapEmpty();
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

  /**
   * Runs {@code step} for every item at once, so that the connection pipelines their statements,
   * and ends when every step has. Within a transaction the first failure is the cause (the
   * statements after it fail only because the transaction is aborted), so that is the one it fails
   * with; and as it waits for all, no step sends a statement after its caller's ROLLBACK.
   */
  public static <T> Future<Void> pipelined(List<T> items, Function<T, Future<?>> step) {
    AtomicReference<Throwable> first = new AtomicReference<>();
    List<Future<?>> steps = new ArrayList<>(items.size());
    for (T item : items) {
      steps.add(step.apply(item).onFailure(e -> first.compareAndSet(null, e)));
    }
    return Future.join(steps).transform(all -> all.succeeded()
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(first.get()));
  }

  public Future<Void> close() {
    return connection.close();
  }
}
