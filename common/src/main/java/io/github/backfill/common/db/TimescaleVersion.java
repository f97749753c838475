package io.github.backfill.common.db;

import io.github.backfill.common.BackfillException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TimescaleDB release as {@code pg_extension.extversion} names it ({@code 2.19.3}, {@code 2.22.0-dev}),
 * and the releases this tool supports: every 2.x from {@link #OLDEST} on. A release newer than
 * {@link #NEWEST_TESTED} is accepted; it reads the catalog as the newest variant does.
 */
public record TimescaleVersion(int major, int minor, int patch) implements Comparable<TimescaleVersion> {
  /** The oldest release supported: the oldest the original tool supports too. */
  public static final TimescaleVersion OLDEST = new TimescaleVersion(2, 17, 0);
  /** The newest release the suite ran against. */
  public static final TimescaleVersion NEWEST_TESTED = new TimescaleVersion(2, 31, 0);
  /** The supported range in words, for messages and help. */
  public static final String SUPPORTED = "TimescaleDB 2.17.0 or later 2.x";

  private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[-.+].*)?");

  /** Parses {@code extversion}; null when it is not a version at all. */
  public static TimescaleVersion parse(String extversion) {
    Matcher m = extversion == null ? null : FORM.matcher(extversion.strip());
    if (m == null || !m.matches()) {
      return null;
    }
    return new TimescaleVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  /** {@code extversion} parsed, or null when it is no version or one the tool does not support. */
  public static TimescaleVersion parseSupported(String extversion) {
    TimescaleVersion version = parse(extversion);
    return version != null && version.supported() ? version : null;
  }

  /** Whether the tool reads this release's catalog. */
  public boolean supported() {
    return major == OLDEST.major && compareTo(OLDEST) >= 0;
  }

  /** Newer than every release the suite ran against (same major). */
  public boolean newerThanTested() {
    return major == NEWEST_TESTED.major && minor > NEWEST_TESTED.minor;
  }

  /**
   * The version of the server {@code info} describes, refused with exit code 2 when it lies outside
   * the supported range: before anything is written.
   */
  public static TimescaleVersion require(ServerInfo info) {
    TimescaleVersion version = parseSupported(info.timescaledbVersion());
    if (version == null) {
      ConnectionSettings s = info.settings();
      throw BackfillException.usage(
          "the " + s.role().label() + " server " + s.address() + " runs TimescaleDB "
              + info.timescaledbVersion() + ", which this tool does not support: it supports "
              + SUPPORTED + ". Update the extension (ALTER EXTENSION timescaledb UPDATE) on both"
              + " servers.");
    }
    return version;
  }

  @Override
  public int compareTo(TimescaleVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
