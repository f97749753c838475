package io.github.backfill.common.db;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server settings every session of the tool runs with, whatever the server's or role's defaults.
 *
 * <ul>
 *   <li>{@code TimeZone=UTC} and {@code DateStyle=ISO}: edge filters are rendered as literals on one
 *       server and parsed on the other; both must read them the same way.
 *   <li>No statement timeout: copying one large chunk may take hours.
 *   <li>A lock timeout, so that a chunk blocked behind another session's lock is retried rather than
 *       waiting forever.
 *   <li>An idle-in-transaction timeout, so that a frozen client cannot hold a chunk's locks for ever.
 *   <li>TCP keepalives and a TCP user timeout, so that a server drops a vanished client and releases
 *       its locks within about 30 s: keepalives (10 s idle, then 4 probes 5 s apart) cover an idle
 *       connection, the user timeout one with data in flight, such as a COPY streaming to a client
 *       whose link is cut, which would otherwise be retransmitted for about 15 minutes.
 * </ul>
 */
public final class SessionSettings {
  private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("TimeZone", "UTC");
    SETTINGS.put("DateStyle", "ISO");
    SETTINGS.put("IntervalStyle", "postgres");
    // Notices (an index that already exists, say) are not for the operator.
    SETTINGS.put("client_min_messages", "warning");
    SETTINGS.put("statement_timeout", "0");
    SETTINGS.put("lock_timeout", "60s");
    SETTINGS.put("idle_in_transaction_session_timeout", "10min");
    SETTINGS.put("tcp_keepalives_idle", "10");
    SETTINGS.put("tcp_keepalives_interval", "5");
    SETTINGS.put("tcp_keepalives_count", "4");
    SETTINGS.put("tcp_user_timeout", "30000");
  }

  private SessionSettings() {}

  /** The settings by name, in a fixed order. */
  public static Map<String, String> all() {
    return Map.copyOf(SETTINGS);
  }

  /** One {@code SET} statement per setting, for a session that cannot take them at startup. */
  public static String setStatements() {
    StringBuilder sql = new StringBuilder();
    SETTINGS.forEach(
        (name, value) ->
            sql.append("SET ").append(name).append(" = ").append(Sql.literal(value)).append(";"));
    return sql.toString();
  }
}
