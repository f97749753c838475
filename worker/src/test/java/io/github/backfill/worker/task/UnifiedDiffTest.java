package io.github.backfill.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  private static List<String> summary(String min, String time, String val, int count) {
    return List.of(
        "min:", "  device_id: '" + min + "'", "  time: " + time, "  val: '" + val + "'",
        "max:", "  device_id: '7'", "  time: 2016-01-02 00:00:00+00", "  val: '21'",
        "sum: {}", "count:", "  device_id: " + count, "  time: " + count, "  val: " + count,
        "total_count: " + count);
  }

  @Test
  void changesSixLinesApartMakeTwoHunksAsTheOriginalPrints() {
    // The original's verify_task_with_extra_rows_in_source: two extra source rows.
    List<String> diff =
        UnifiedDiff.of(
            summary("1", "2016-01-01 23:59:59+00", "11", 2),
            summary("7", "2016-01-02 00:00:00+00", "21", 1),
            3);

    assertThat(String.join("\n", diff))
        .isEqualTo(
            String.join(
                "\n",
                "--- original",
                "+++ modified",
                "@@ -1,7 +1,7 @@",
                " min:",
                "-  device_id: '1'",
                "-  time: 2016-01-01 23:59:59+00",
                "-  val: '11'",
                "+  device_id: '7'",
                "+  time: 2016-01-02 00:00:00+00",
                "+  val: '21'",
                " max:",
                "   device_id: '7'",
                "   time: 2016-01-02 00:00:00+00",
                "@@ -8,7 +8,7 @@",
                "   val: '21'",
                " sum: {}",
                " count:",
                "-  device_id: 2",
                "-  time: 2",
                "-  val: 2",
                "-total_count: 2",
                "+  device_id: 1",
                "+  time: 1",
                "+  val: 1",
                "+total_count: 1"));
  }

  @Test
  void changesFewerThanTwiceTheContextApartShareAHunk() {
    List<String> diff =
        UnifiedDiff.of(List.of("a", "b", "c", "d", "e", "f", "g"), List.of("A", "b", "c", "d", "e", "f", "G"), 3);

    assertThat(diff)
        .containsExactly(
            "--- original", "+++ modified", "@@ -1,7 +1,7 @@", "-a", "+A", " b", " c", " d", " e", " f", "-g", "+G");
  }

  @Test
  void aOneLineRangeHasNoLengthAndAnEmptyOneStartsBeforeIt() {
    assertThat(UnifiedDiff.of(List.of("a"), List.of("b"), 3))
        .containsExactly("--- original", "+++ modified", "@@ -1 +1 @@", "-a", "+b");
    assertThat(UnifiedDiff.of(List.of(), List.of("x", "y"), 3))
        .containsExactly("--- original", "+++ modified", "@@ -0,0 +1,2 @@", "+x", "+y");
    assertThat(UnifiedDiff.of(List.of("same"), List.of("same"), 3)).isEmpty();
  }
}
