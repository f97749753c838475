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
 * the database exists, TimescaleDB is installed and, where data moves between them, it moves from a
 * release to the same or a newer one.
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

  /** What {@link #withSessions} hands its work: one session to each side, and what preflight learned. */
  public interface BothSides<T> {
    /**
     * @param asStored whether both sides run the same release (see {@link #requireCompatibleVersions})
     */
    Future<T> apply(
        ReactiveSession source, ReactiveSession target, ServerInfo sourceInfo, ServerInfo targetInfo,
        boolean asStored);
  }

  /**
   * The preflight of a command that moves data from {@code source} to {@code target}: distinct
   * databases, both reachable with TimescaleDB, the target's release the source's or newer; then
   * {@code work} on one session to each side. The sessions' pools close after.
   */
  public static <T> Future<T> withSessions(
      Vertx vertx, ConnectionSettings source, ConnectionSettings target, BothSides<T> work) {
    // The same spelling is refused before connecting; another one after, by TimescaleDB's id.
    if (source.sameDatabaseAs(target)) {
      return Future.failedFuture(sameDatabase(target));
    }
    Pool sourcePool = ReactiveClients.pool(vertx, source, 1);
    Pool targetPool = ReactiveClients.pool(vertx, target, 1);
    return Future.all(probe(sourcePool, source), probe(targetPool, target))
        .compose(
            probes -> {
              ServerInfo sourceInfo = probes.resultAt(0);
              ServerInfo targetInfo = probes.resultAt(1);
              boolean asStored = requireCompatibleVersions(sourceInfo, targetInfo);
              return requireDistinctDatabases(source, sourcePool, target, targetPool)
                  .compose(v -> Future.all(
                      ReactiveSession.open(sourcePool, sourceInfo),
                      ReactiveSession.open(targetPool, targetInfo)))
                  .compose(sessions -> work.apply(
                      sessions.resultAt(0), sessions.resultAt(1), sourceInfo, targetInfo, asStored));
            })
        .eventually(() -> Future.join(sourcePool.close(), targetPool.close()));
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
   * The versions data may move between: the same TimescaleDB release (any PostgreSQL majors, as the
   * original allows), or an older TimescaleDB to a newer one on the same or a newer PostgreSQL major.
   * The reverse is refused (exit code 2): a newer release may store what an older one cannot read.
   * The first sentence is the original tool's message.
   *
   * @return whether chunks may travel exactly as stored (see {@link ServerRelease#sameAs})
   */
  public static boolean requireCompatibleVersions(ServerInfo source, ServerInfo target) {
    requireTimescaleDb(source);
    requireTimescaleDb(target);
    ServerRelease from = ServerRelease.of(source);
    ServerRelease to = ServerRelease.of(target);
    if (from.timescaledb().equals(to.timescaledb())) {
      return from.sameAs(to);
    }
    String different =
        "timescaledb extension version is different in source and target: source="
            + source.timescaledbVersion()
            + ", target="
            + target.timescaledbVersion()
            + ". ";
    if (to.timescaledb().compareTo(from.timescaledb()) < 0) {
      throw BackfillException.usage(
          different
              + "This tool copies from an older TimescaleDB release to a newer one, not back: a newer"
              + " release may store chunks in a form the older one cannot read. Update the target"
              + " with ALTER EXTENSION timescaledb UPDATE to "
              + from.timescaledb()
              + " or later.");
    }
    if (to.postgresMajor() < from.postgresMajor()) {
      throw BackfillException.usage(
          different
              + "Across TimescaleDB releases this tool copies to the same or a newer PostgreSQL"
              + " major only, and the target runs PostgreSQL "
              + to.postgresMajor()
              + ", older than the source's "
              + from.postgresMajor()
              + ". Use a target on PostgreSQL "
              + from.postgresMajor()
              + " or later.");
    }
    return false;
  }
}
