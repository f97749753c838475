package io.github.backfill.coordinator.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkIndexTest {
  private static ChunkRef chunk(String name, long start, long end, long spaceStart, long spaceEnd) {
    Map<String, Slice> slices = new LinkedHashMap<>();
    slices.put("time", new Slice("time", start, end));
    slices.put("device", new Slice("device", spaceStart, spaceEnd));
    return new ChunkRef("_timescaledb_internal", name, slices, null);
  }

  private final ChunkRef a = chunk("a", 0, 10, 0, 5);
  private final ChunkRef b = chunk("b", 0, 10, 5, 10);
  private final ChunkRef c = chunk("c", 10, 20, 0, 5);
  private final ChunkRef wide = chunk("wide", 100, 1000, 0, 10);
  private final ChunkIndex index = new ChunkIndex(List.of(a, b, c, wide), "time");

  @Test
  void findsAChunkByItsExactSlices() {
    assertThat(index.same(chunk("x", 10, 20, 0, 5))).isSameAs(c);
    assertThat(index.same(chunk("x", 10, 20, 0, 6))).isNull();
  }

  @Test
  void findsAnOverlapOnlyWhereEveryDimensionOverlaps() {
    assertThat(index.overlapping(chunk("x", 5, 15, 6, 8))).isSameAs(b);
    assertThat(index.overlapping(chunk("x", 15, 25, 5, 10))).isNull();
    assertThat(index.overlapping(chunk("x", 20, 30, 0, 5))).isNull();
  }

  @Test
  void aLongChunkThatStartedLongBeforeStillOverlaps() {
    assertThat(index.overlapping(chunk("x", 500, 510, 3, 4))).isSameAs(wide);
  }

  @Test
  void openEndedSlicesReachTheEndsOfTheRange() {
    ChunkRef open = chunk("open", Long.MIN_VALUE, 5, 0, 10);
    ChunkIndex withOpen = new ChunkIndex(List.of(open, c), "time");
    assertThat(withOpen.overlapping(chunk("x", 4, 6, 2, 3))).isSameAs(open);
    assertThat(withOpen.overlapping(chunk("x", Long.MIN_VALUE, -100, 2, 3))).isSameAs(open);
    assertThat(withOpen.overlapping(chunk("x", 5, 10, 2, 3))).isNull();
    assertThat(index.overlapping(chunk("x", 1000, Long.MAX_VALUE, 0, 10))).isNull();
    assertThat(index.overlapping(chunk("x", 999, Long.MAX_VALUE, 0, 10))).isSameAs(wide);
  }
}
