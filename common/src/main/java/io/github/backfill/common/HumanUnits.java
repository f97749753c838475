package io.github.backfill.common;

import java.util.Locale;

/** Sizes and durations for people, in the original tool's style (SI units: 3.1MB, 1.2s). */
public final class HumanUnits {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  private HumanUnits() {}

  /** {@code 0B}, {@code 999B}, {@code 1.5kB}, {@code 3.1MB}. */
  public static String bytes(long bytes) {
    if (bytes < 1000) {
      return bytes + "B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
  }

  /** {@code 850ms}, {@code 12.3s}, {@code 4m 05s}, {@code 2h 03m}. */
  public static String duration(double seconds) {
    if (seconds < 1) {
      return Math.round(seconds * 1000) + "ms";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long whole = Math.round(seconds);
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", whole / 60, whole % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", whole / 3600, (whole % 3600) / 60);
  }
}
