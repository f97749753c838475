package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotApplicationNameTest {
  @Test
  void theSlotEndsTheNameAndSurvivesTheServersLimit() {
    assertThat(JdbcConnections.slotApplicationName("timescaledb-backfill", "10.0.1.11:5701/3"))
        .isEqualTo("timescaledb-backfill 10.0.1.11:5701/3");
    String longName = "migration-of-the-metrics-database-ünïcode-" + "x".repeat(40);
    String name = JdbcConnections.slotApplicationName(longName, "255.255.255.255:65535/1023");
    // PostgreSQL keeps 63 bytes of application_name: the user's part is cut, never the slot.
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(name).endsWith(" 255.255.255.255:65535/1023").startsWith("migration-of-the-metrics");
  }
}
