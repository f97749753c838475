package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;

import org.junit.jupiter.api.Test;

class TimescaleVersionTest {
  @Test
  void parsesWhatExtversionHolds() {
    assertThat(TimescaleVersion.parse("2.19.3")).isEqualTo(new TimescaleVersion(2, 19, 3));
    assertThat(TimescaleVersion.parse("2.22.0-dev")).isEqualTo(new TimescaleVersion(2, 22, 0));
    assertThat(TimescaleVersion.parse("2.27.0-p0")).isEqualTo(new TimescaleVersion(2, 27, 0));
    assertThat(TimescaleVersion.parse("2.30")).isEqualTo(new TimescaleVersion(2, 30, 0));
    assertThat(TimescaleVersion.parse("latest")).isNull();
    assertThat(TimescaleVersion.parse(null)).isNull();
  }

  @Test
  void supportsEvery2xFrom2_17() {
    assertThat(new TimescaleVersion(2, 16, 1).supported()).isFalse();
    assertThat(new TimescaleVersion(2, 17, 0).supported()).isTrue();
    assertThat(new TimescaleVersion(2, 31, 0).supported()).isTrue();
    assertThat(new TimescaleVersion(2, 45, 0).supported()).isTrue();
    assertThat(new TimescaleVersion(3, 0, 0).supported()).isFalse();
    assertThat(new TimescaleVersion(1, 7, 5).supported()).isFalse();
  }

  @Test
  void knowsWhatIsNewerThanTheNewestTested() {
    assertThat(TimescaleVersion.NEWEST_TESTED.newerThanTested()).isFalse();
    assertThat(new TimescaleVersion(2, 31, 4).newerThanTested()).isFalse();
    assertThat(new TimescaleVersion(2, 32, 0).newerThanTested()).isTrue();
    assertThat(new TimescaleVersion(2, 19, 3).compareTo(new TimescaleVersion(2, 9, 9))).isPositive();
  }

  @Test
  void aReleaseOutsideTheRangeIsAUsageErrorNamingTheRangeAndTheServer() {
    ConnectionSettings target =
        ConnectionSettings.parse(ServerRole.TARGET, "postgres://u:secret@db.example.com:5433/app");
    for (String old : new String[] {"2.16.1", "3.0.0", "1.7.5"}) {
      ServerInfo info = new ServerInfo(target, 170000, "17.0", old, "timescale");
      assertThatThrownBy(() -> Preflight.requireTimescaleDb(info))
          .isInstanceOf(BackfillException.class)
          .hasMessage("the target server db.example.com:5433 runs TimescaleDB " + old + ", which this tool"
              + " does not support: it supports TimescaleDB 2.17.0 or later 2.x. Update the extension"
              + " (ALTER EXTENSION timescaledb UPDATE) on both servers.")
          .satisfies(e -> assertThat(((BackfillException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }
    ServerInfo newest = new ServerInfo(target, 180000, "18.6", "2.31.0", "apache");
    assertThat(Preflight.requireTimescaleDb(newest)).isSameAs(newest);
  }
}
