package io.github.backfill.common.testing;

import java.nio.file.Path;

/**
 * The flavour of the local servers of {@code scripts/timescaledb} ({@code BACKFILL_FLAVOR}, default
 * {@code pg17}): which Debian chroot they run from and their default ports. The script's own table,
 * as the tests need it.
 */
public enum Flavor {
  PG17("trixie", 55432, 55433),
  PG18("sid", 55434, 55435);

  private final String suite;
  private final int sourcePort;
  private final int targetPort;

  Flavor(String suite, int sourcePort, int targetPort) {
    this.suite = suite;
    this.sourcePort = sourcePort;
    this.targetPort = targetPort;
  }

  /** The flavour this run was given. */
  public static Flavor current() {
    String name = System.getenv().getOrDefault("BACKFILL_FLAVOR", "pg17");
    for (Flavor f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalStateException("unknown BACKFILL_FLAVOR '" + name + "' (expected pg17 or pg18)");
  }

  public int defaultSourcePort() {
    return sourcePort;
  }

  public int defaultTargetPort() {
    return targetPort;
  }

  /** The chroot of this flavour's servers on the host. */
  public Path chroot() {
    return Path.of(System.getenv().getOrDefault("BACKFILL_CACHE", "/var/tmp/timescaledb-backfill"), suite);
  }
}
