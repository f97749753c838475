package io.github.backfill.common.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a PgJDBC session needs to pick its statements' variants: the TimescaleDB release of the
 * database it is connected to, read once when the connection opens, and the server's release.
 */
public final class JdbcCatalog {
  private JdbcCatalog() {}

  /** The connected database's TimescaleDB release; fails when it is absent or unsupported. */
  public static TimescaleVersion versionOf(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(Sql.TIMESCALEDB_VERSION.text())) {
      String extversion = row.next() ? row.getString("version") : null;
      TimescaleVersion version = TimescaleVersion.parseSupported(extversion);
      if (version == null) {
        throw new SQLException(
            "TimescaleDB " + extversion + " is not supported: this tool supports "
                + TimescaleVersion.SUPPORTED);
      }
      return version;
    }
  }

  /** The connected server's release: its database's TimescaleDB and PostgreSQL's major. */
  public static ServerRelease releaseOf(Connection connection) throws SQLException {
    return new ServerRelease(versionOf(connection), connection.getMetaData().getDatabaseMajorVersion());
  }
}
