package io.github.backfill.common.db;

/**
 * What preflight learned of one server.
 *
 * @param timescaledbVersion the extension's version in the connected database, or null when absent
 * @param license {@code timescaledb.license}: {@code timescale} has compression and continuous
 *     aggregates, {@code apache} has not
 */
public record ServerInfo(
    ConnectionSettings settings,
    int serverVersionNum,
    String serverVersion,
    String timescaledbVersion,
    String license) {

  public ServerRole role() {
    return settings.role();
  }

  public boolean hasTimescaleDb() {
    return timescaledbVersion != null;
  }

  public boolean hasTslLicense() {
    return "timescale".equals(license);
  }
}
