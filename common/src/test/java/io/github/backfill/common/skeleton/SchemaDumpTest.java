package io.github.backfill.common.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaDumpTest {
  private static String cycle(String table) {
    return "pg_dump: warning: there are circular foreign-key constraints on this table:\n"
        + "pg_dump: detail: " + table + "\n"
        + "pg_dump: hint: You might not be able to restore the dump without using --disable-triggers"
        + " or temporarily dropping the constraints.\n"
        + "pg_dump: hint: Consider using a full dump instead of a --data-only dump to avoid this problem.\n";
  }

  @Test
  void theWarningsAboutTimescaleDbsCatalogCyclesGoAndEveryOtherLineStays() {
    String stderr = cycle("hypertable") + cycle("chunk") + "pg_dump: warning: something else\n"
        + cycle("continuous_agg") + cycle("orders");

    assertThat(SchemaDump.withoutCatalogCycleWarnings(stderr))
        .isEqualTo("pg_dump: warning: something else\n" + cycle("orders"));
    assertThat(SchemaDump.withoutCatalogCycleWarnings(cycle("chunk"))).isEmpty();
    assertThat(SchemaDump.withoutCatalogCycleWarnings("")).isEmpty();
  }
}
