package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;

/** Checks of flag values that picocli's type conversion lets through. */
final class FlagValues {
  private FlagValues() {}

  /**
   * An optional flag given with an empty value ({@code --filter ""}, often an unset shell variable)
   * is refused rather than read as "no value": exit code 2, saying what to give instead.
   */
  static void requireNotBlank(String value, String flag, String instead) {
    if (value != null && value.isBlank()) {
      throw BackfillException.usage(flag + " is empty: " + instead + ".");
    }
  }
}
