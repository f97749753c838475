package io.github.backfill.coordinator.stage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A target hypertable's chunks, found by their exact slices and, for the overlap check, by the
 * start of their time slice: a chunk overlapping {@code [a, b)} in time starts after {@code a} less
 * the longest chunk and before {@code b}. Each lookup looks at those chunks only, so that stage's
 * planning takes time linear in the number of chunks.
 */
final class ChunkIndex {
  private final String timeColumn;
  private final Map<Map<String, Slice>, ChunkRef> bySlices = new HashMap<>();
  private final NavigableMap<Long, List<ChunkRef>> byTimeStart = new TreeMap<>();
  private final List<ChunkRef> unbounded = new ArrayList<>();
  private long longest;

  ChunkIndex(List<ChunkRef> chunks, String timeColumn) {
    this.timeColumn = timeColumn;
    for (ChunkRef chunk : chunks) {
      bySlices.put(chunk.slices(), chunk);
      Slice time = chunk.slices().get(timeColumn);
      // Open-ended slices (from int64's minimum) are longer than a long holds: always looked at.
      if (time == null || time.end() - time.start() < 0) {
        unbounded.add(chunk);
        continue;
      }
      byTimeStart.computeIfAbsent(time.start(), s -> new ArrayList<>()).add(chunk);
      longest = Math.max(longest, time.end() - time.start());
    }
  }

  /** The chunk with exactly {@code chunk}'s slices, or null. */
  ChunkRef same(ChunkRef chunk) {
    return bySlices.get(chunk.slices());
  }

  /** A chunk that shares space with {@code chunk} in every dimension, or null. */
  ChunkRef overlapping(ChunkRef chunk) {
    Slice time = chunk.slices().get(timeColumn);
    Collection<List<ChunkRef>> candidates =
        time == null
            ? byTimeStart.values()
            : byTimeStart.subMap(earliestStart(time.start()), true, Math.max(time.start(), time.end()), false).values();
    return Stream.concat(candidates.stream().flatMap(List::stream), unbounded.stream())
        .filter(existing -> existing.overlaps(chunk))
        .findFirst()
        .orElse(null);
  }

  /** The earliest start of a chunk that can reach past {@code start}, saturated at int64's minimum. */
  private long earliestStart(long start) {
    return start < Long.MIN_VALUE + longest ? Long.MIN_VALUE : start - longest;
  }
}
