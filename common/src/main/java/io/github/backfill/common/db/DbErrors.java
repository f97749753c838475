package io.github.backfill.common.db;

import io.github.backfill.common.BackfillException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;
import org.postgresql.util.PSQLException;

/**
 * Translates what the reactive client and PgJDBC throw into a {@link BackfillException} that names
 * the server, says what went wrong and what to do. Neither client puts a password into its messages,
 * and neither does this class.
 */
public final class DbErrors {
  private DbErrors() {}

  /** The SQLSTATE of the first database error in {@code error}'s cause chain, or null. */
  public static String sqlState(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return pg.getSqlState();
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /** The server's own message for a database error, or the exception's message. */
  public static String serverMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return pg.getErrorMessage();
      }
      if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        return psql.getServerErrorMessage().getMessage();
      }
    }
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }

  /**
   * Translates a failure to connect to, or to run {@code action} on, the server of {@code settings}.
   * A {@link BackfillException} passes through unchanged.
   */
  public static BackfillException translate(
      ConnectionSettings settings, String action, Throwable error) {
    if (error instanceof BackfillException known) {
      return known;
    }
    String server = "the " + settings.role().label() + " server " + settings.address();
    String flag = settings.role().flag();
    String state = sqlState(error);
    if (state != null && state.startsWith("28")) {
      return BackfillException.failed(
          server
              + " refused the login of user \""
              + settings.user()
              + "\": "
              + serverMessage(error)
              + ". Check the user and password in "
              + flag
              + ".",
          error);
    }
    if ("3D000".equals(state)) {
      return BackfillException.failed(
          "database \""
              + settings.database()
              + "\" does not exist on "
              + server
              + ". Check the database name in "
              + flag
              + ".",
          error);
    }
    if (state != null && !state.startsWith("08")) {
      return BackfillException.failed(
          action + " failed on " + server + ": " + serverMessage(error) + " (SQLSTATE " + state + ")",
          error);
    }
    Throwable unknownHost = find(error, UnknownHostException.class);
    if (unknownHost != null) {
      return BackfillException.failed(
          "cannot resolve the host \""
              + settings.host()
              + "\" of the "
              + settings.role().label()
              + " server. Check the host in "
              + flag
              + ".",
          error);
    }
    if (find(error, ConnectException.class) != null
        || find(error, NoRouteToHostException.class) != null) {
      return BackfillException.failed(
          "cannot connect to "
              + server
              + ": connection refused. Check that the server is running and that the host and port"
              + " in "
              + flag
              + " are right.",
          error);
    }
    if (find(error, SocketTimeoutException.class) != null || mentions(error, "timed out")) {
      return BackfillException.failed(
          "connecting to "
              + server
              + " timed out after "
              + settings.connectTimeoutSeconds()
              + " s. Check the host and port in "
              + flag
              + " and that no firewall drops the connection.",
          error);
    }
    if (mentions(error, "does not handle SSL") || mentions(error, "does not support SSL")) {
      return BackfillException.failed(
          server
              + " does not accept TLS connections, but "
              + flag
              + " asks for sslmode="
              + settings.sslMode().value()
              + ". Enable TLS on the server, or use sslmode=prefer or sslmode=disable.",
          error);
    }
    if (find(error, SSLException.class) != null || mentions(error, "SSL handshake")) {
      // The reactive client drops the handshake's cause ("SSL handshake failed"): say what the
      // sslmode demands of the certificate, which is what the user can check.
      if (settings.sslMode().verifiesCertificate()) {
        boolean full = settings.sslMode() == SslMode.VERIFY_FULL;
        return BackfillException.failed(
            "the TLS certificate of "
                + server
                + " is not accepted under sslmode="
                + settings.sslMode().value()
                + ": it must be signed by the authority in sslrootcert ("
                + settings.sslRootCert().orElse("")
                + ")"
                + (full ? " and name the host \"" + settings.host() + "\"" : "")
                + " ("
                + rootMessage(error)
                + "). Check sslrootcert"
                + (full ? " and the host" : "")
                + " in "
                + flag
                + ".",
            error);
      }
      return BackfillException.failed(
          "the TLS handshake with "
              + server
              + " failed: "
              + rootMessage(error)
              + ". Check the server's TLS settings, and sslcert and sslkey in "
              + flag
              + " if the server asks for a client certificate.",
          error);
    }
    return BackfillException.failed(
        action + " failed on " + server + ": " + rootMessage(error), error);
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean mentions(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
