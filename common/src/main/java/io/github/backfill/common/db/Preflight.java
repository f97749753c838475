package io.github.backfill.common.db;

import io.github.backfill.common.BackfillException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every command makes before it touches data: the server is reachable, the login works,
 * the database exists, TimescaleDB is installed and, where data moves between them, both sides run the
 * same TimescaleDB version (compressed chunks are copied in their on-disk form).
 */
public final class Preflight {
  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

  private Preflight() {}

  /**
   * Connects through {@code pool} and reads the server's versions. Fails with a message naming the
   * server for an unreachable server, a refused login or a missing database.
   */
  public static Future<ServerInfo> probe(Pool pool, ConnectionSettings settings) {
    return pool.query(Sql.SERVER_INFO.text())
        .execute()
        .map(rows -> toInfo(settings, rows.iterator().next()))
        .recover(error -> Future.failedFuture(DbErrors.translate(settings, "connecting", error)));
  }

  /**
   * Probes one server, then runs {@code work} on a one-connection pool to it, which closes after.
   * Failures name the server and {@code action}.
   */
  public static <T> Future<T> withServer(
      Vertx vertx, ConnectionSettings settings, String action, Function<Pool, Future<T>> work) {
    Pool pool = ReactiveClients.pool(vertx, settings, 1);
    return probe(pool, settings)
        .compose(info -> work.apply(pool))
        .recover(error -> Future.failedFuture(DbErrors.translate(settings, action, error)))
        .eventually(pool::close);
  }

  private static ServerInfo toInfo(ConnectionSettings settings, Row row) {
    return new ServerInfo(
        settings,
        row.getInteger("server_version_num"),
        row.getString("server_version"),
        row.getString("timescaledb_version"),
        row.getString("license"));
  }

  /**
   * Source and target must be different databases: copying a database onto itself deletes what it
   * copies. The same spelling is caught from the settings; another spelling of the same server and
   * database (a host name for an address, say) by TimescaleDB's installation id, read through the
   * two pools. Call after {@link #requireTimescaleDb}.
   */
  public static Future<Void> requireDistinctDatabases(
      ConnectionSettings source, Pool sourcePool, ConnectionSettings target, Pool targetPool) {
    if (source.sameDatabaseAs(target)) {
      return Future.failedFuture(sameDatabase(target));
    }
    return Future.all(
            sourcePool.query(Sql.CATALOG_UUID.text()).execute(),
            targetPool.query(Sql.CATALOG_UUID.text()).execute())
        .compose(
            uuids -> {
              String a = uuidOf(uuids.resultAt(0));
              String b = uuidOf(uuids.resultAt(1));
              return a != null && a.equals(b)
                  ? Future.failedFuture(sameDatabase(target))
                  : Future.<Void>succeededFuture();
            });
  }

  private static String uuidOf(io.vertx.sqlclient.RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next().getString("uuid") : null;
  }

  /** The refusal of {@link #requireDistinctDatabases}. */
  public static BackfillException sameDatabase(ConnectionSettings target) {
    return BackfillException.usage(
        "--source and --target name the same database ("
            + target.address()
            + ", database \""
            + target.database()
            + "\"). The target must be another database, prepared from a dump of the source.");
  }

  /**
   * TimescaleDB must be installed in the database the server's connection string names, in a release
   * this tool supports (exit code 2 otherwise). A 2.x release newer than any the suite ran against
   * is used as the newest catalog variant reads it; {@code --debug} says so. (No warning: a script
   * that reads stderr would break on every new release.)
   */
  public static ServerInfo requireTimescaleDb(ServerInfo info) {
    if (!info.hasTimescaleDb()) {
      ConnectionSettings s = info.settings();
      throw BackfillException.usage(
          "TimescaleDB is not installed in database \""
              + s.database()
              + "\" on the "
              + s.role().label()
              + " server "
              + s.address()
              + ". Check the database name in "
              + s.role().flag()
              + ", or run CREATE EXTENSION timescaledb in it.");
    }
    TimescaleVersion version = TimescaleVersion.require(info);
    if (version.newerThanTested()) {
      LOG.info(
          "the {} server {} runs TimescaleDB {}, newer than {}, the newest release this tool was"
              + " tested with; it reads its catalog as {}'s.",
          info.role().label(), info.settings().address(), info.timescaledbVersion(),
          TimescaleVersion.NEWEST_TESTED, TimescaleVersion.NEWEST_TESTED);
    }
    return info;
  }

  /**
   * Both sides must run exactly the same TimescaleDB version: chunks and compressed batches are
   * copied as TimescaleDB stores them. The first sentence is the original tool's message.
   */
  public static void requireSameVersion(ServerInfo source, ServerInfo target) {
    requireTimescaleDb(source);
    requireTimescaleDb(target);
    if (!source.timescaledbVersion().equals(target.timescaledbVersion())) {
      throw BackfillException.usage(
          "timescaledb extension version is different in source and target: source="
              + source.timescaledbVersion()
              + ", target="
              + target.timescaledbVersion()
              + ". Update the older side with ALTER EXTENSION timescaledb UPDATE TO '<version>' so"
              + " that both run the same version.");
    }
  }
}
