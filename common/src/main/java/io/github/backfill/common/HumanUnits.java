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
}
