package io.github.backfill.common.db;

/**
 * The two releases that decide how data may move between servers: TimescaleDB's and PostgreSQL's
 * major. Chunks travel exactly as stored (compressed batches as they are, binary COPY of every type)
 * only between equal releases; from an older release to a newer one they travel in forms both read.
 */
public record ServerRelease(TimescaleVersion timescaledb, int postgresMajor) {
  /** The release of the server {@code info} describes; refused (exit 2) when unsupported. */
  public static ServerRelease of(ServerInfo info) {
    return new ServerRelease(TimescaleVersion.require(info), info.serverVersionNum() / 10000);
  }

  /** Whether data stored by this release is read the same by {@code other}. */
  public boolean sameAs(ServerRelease other) {
    return timescaledb.equals(other.timescaledb) && postgresMajor == other.postgresMajor;
  }

  @Override
  public String toString() {
    return "TimescaleDB " + timescaledb + " on PostgreSQL " + postgresMajor;
  }
}
