package io.github.backfill.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Row-set comparisons between a source and a target database. */
public final class Rows {
  private Rows() {}

  /**
   * Every row of {@code query} on both sides, as text, sorted: equal means the same multiset, so a
   * lost or a duplicated row fails.
   */
  public static void assertSame(TestDatabase source, TestDatabase target, String query) {
    String sorted = "SELECT t::text FROM (" + query + ") t ORDER BY 1";
    assertThat(target.rows(sorted)).isEqualTo(source.rows(sorted));
  }
}
