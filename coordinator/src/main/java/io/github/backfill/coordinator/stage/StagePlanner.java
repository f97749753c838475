package io.github.backfill.coordinator.stage;

import io.github.backfill.common.BackfillException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decisions of {@code stage} that need no database: whether source and target hypertables agree,
 * which target chunk each source chunk goes to or whether one must be created, and what becomes of
 * chunks staged before. Every refusal is an exit-2 error raised before anything is written.
 */
public final class StagePlanner {
  private static final int MAX_LISTED = 10;

  private StagePlanner() {}

  /** What stage does with one source chunk. */
  public enum Action {
    /** Stage a new task. */
    NEW,
    /** Staged before with the same bounds: leave it. */
    SKIP,
    /** Staged before, not yet copied, now cut differently: update its filter. */
    REPLAN
  }

  /**
   * One source chunk's plan.
   *
   * @param target the target chunk with the same slices, or null when stage must create it
   * @param filter its edge filter, or null
   * @param needsCompressedChunk whether stage must give the target chunk a compressed chunk: the
   *     source chunk is compressed, the target's is not, the task is still to be copied, and both
   *     sides run the same release
   */
  public record PlannedChunk(SourceChunk chunk, TargetHypertable targetHypertable, ChunkRef target,
      String filter, Action action, boolean needsCompressedChunk) {
    public boolean needsTargetChunk() {
      return target == null && action != Action.SKIP;
    }

    /** Whether stage writes anything for this chunk. */
    public boolean needsWork() {
      return action != Action.SKIP || needsCompressedChunk;
    }

    /** What creating its target chunk is called in an error message, however it is done. */
    public String creationAction() {
      return "creating the target chunk for " + chunk.ref().qualifiedName();
    }
  }

  /** A task staged before: its filter and whether it was copied. */
  public record StagedTask(String filter, boolean copied) {}

  /**
   * Checks that every source hypertable has a target counterpart with the same columns (in any
   * order), and reports all problems at once in the original's format.
   *
   * @param targets the target hypertable for each source hypertable; a missing entry means none
   * @param notHypertables source hypertables whose target relation exists but is no hypertable
   */
  public static void checkHypertables(
      Map<SourceHypertable, List<Column>> sourceColumns,
      Map<SourceHypertable, TargetHypertable> targets,
      Set<SourceHypertable> notHypertables) {
    List<String> issues = new ArrayList<>();
    for (var entry : sourceColumns.entrySet()) {
      SourceHypertable source = entry.getKey();
      String name = "'" + source.displayName() + "'";
      String sourceList = describe(entry.getValue());
      TargetHypertable target = targets.get(source);
      if (target == null) {
        issues.add(
            notHypertables.contains(source)
                ? "- " + name + " exists in target but is not a hypertable: make it one with"
                    + " create_hypertable, as on the source.\n    * source columns: " + sourceList
                : "- " + name + " not found in target:\n    * source columns: " + sourceList);
        continue;
      }
      Set<String> sourceSignatures =
          entry.getValue().stream().map(Column::signature).collect(Collectors.toSet());
      Set<String> targetSignatures =
          target.columns().stream().map(Column::signature).collect(Collectors.toSet());
      if (!sourceSignatures.equals(targetSignatures)) {
        issues.add(
            "- " + name + " columns mismatch:\n    * source columns: " + sourceList
                + "\n    * target columns: " + describe(target.columns()));
      }
    }
    if (!issues.isEmpty()) {
      throw BackfillException.usage(
          "Found issues between the source and target hypertables:\n"
              + String.join("\n", issues)
              + "\nMake the target's tables match the source's (the target's schema should come from a"
              + " pg_dump of the source), then run stage again.");
    }
  }

  private static String describe(List<Column> columns) {
    return columns.stream().map(Column::describe).collect(Collectors.joining(", "));
  }

  /**
   * Finds each source chunk's target chunk by identical slices, and checks that the chunks the target
   * lacks can be created there with exactly the source's slices.
   *
   * @param canCreateWithSlices whether the target can create a chunk with given slices
   *     ({@code create_chunk}, TSL only); otherwise chunks are created through the hypertable, which
   *     needs the same chunk interval and partitioning as the source
   * @param sourceDimensions each source hypertable's dimensions
   */
  public static List<PlannedChunk> matchChunks(
      List<SourceChunk> chunks,
      Map<SourceHypertable, TargetHypertable> targets,
      Map<SourceHypertable, List<Dimension>> sourceDimensions,
      boolean canCreateWithSlices) {
    List<PlannedChunk> plan = new ArrayList<>();
    Map<SourceHypertable, ChunkIndex> indexes = new HashMap<>();
    for (SourceChunk chunk : chunks) {
      SourceHypertable hypertable = chunk.hypertable();
      TargetHypertable target = targets.get(hypertable);
      List<Dimension> dimensions = sourceDimensions.get(hypertable);
      ChunkIndex index =
          indexes.computeIfAbsent(
              hypertable,
              h -> {
                checkSameDimensionColumns(h, dimensions, target);
                return new ChunkIndex(target.chunks(), dimensions.get(0).column());
              });
      ChunkRef match = index.same(chunk.ref());
      if (match == null) {
        checkCreatable(chunk, target, index, dimensions, canCreateWithSlices);
      }
      plan.add(new PlannedChunk(chunk, target, match, null, Action.NEW, false));
    }
    return plan;
  }

  private static void checkSameDimensionColumns(
      SourceHypertable hypertable, List<Dimension> source, TargetHypertable target) {
    boolean same = source.size() == target.dimensions().size();
    for (int i = 0; same && i < source.size(); i++) {
      Dimension s = source.get(i);
      same = target.dimensions().stream().anyMatch(s::sameColumnAs);
    }
    if (!same) {
      throw BackfillException.usage(
          "hypertable " + hypertable.displayName() + " is partitioned by other columns on the target."
              + " Source dimensions: " + describeDimensions(source) + "; target dimensions: "
              + describeDimensions(target.dimensions()) + ". Chunks are matched by their slices in"
              + " every dimension, so the target hypertable must be partitioned by the same columns;"
              + " recreate it from a pg_dump of the source.");
    }
  }

  private static String describeDimensions(List<Dimension> dimensions) {
    return dimensions.stream().map(Dimension::describe).collect(Collectors.joining(", "));
  }

  private static void checkCreatable(
      SourceChunk chunk,
      TargetHypertable target,
      ChunkIndex targetChunks,
      List<Dimension> sourceDimensions,
      boolean canCreateWithSlices) {
    String what = "cannot stage chunk " + chunk.ref().qualifiedName() + " of "
        + chunk.hypertable().displayName() + " (" + chunk.ref().describeSlices() + "): ";
    ChunkRef existing = targetChunks.overlapping(chunk.ref());
    if (existing != null) {
      throw BackfillException.usage(
          what + "the target lacks a chunk with these slices, and its chunk "
              + existing.qualifiedName() + " (" + existing.describeSlices() + ") overlaps them, so"
              + " none can be created. The target hypertable's chunk interval or partitioning"
              + " differs from the source's. Drop the target's overlapping chunk if it holds no"
              + " data you need (dual-writes re-create it), or recreate the target hypertable with"
              + " the source's settings, then run stage again.");
    }
    if (canCreateWithSlices) {
      return;
    }
    for (Dimension source : sourceDimensions) {
      Dimension other =
          target.dimensions().stream().filter(source::sameColumnAs).findFirst().orElseThrow();
      boolean same = Objects.equals(source.intervalLength(), other.intervalLength())
          && Objects.equals(source.numSlices(), other.numSlices())
          && source.partitioningFunc().equals(other.partitioningFunc());
      if (!same) {
        throw BackfillException.usage(
            what + "the target lacks it, and its TimescaleDB (without the TSL license) can only"
                + " create chunks through the hypertable, which partitions " + other.describe()
                + " where the source has " + source.describe() + ". Give the target hypertable the"
                + " source's settings (set_chunk_time_interval, set_number_partitions), or use a"
                + " target with TimescaleDB's TSL license, then run stage again.");
      }
    }
    Dimension time = sourceDimensions.get(0);
    long interval = time.intervalLength();
    long start = chunk.timeStart();
    boolean aligned = Math.floorMod(start, interval) == 0 && chunk.timeEnd() - start == interval;
    if (!aligned) {
      throw BackfillException.usage(
          what + "the target lacks it, and its TimescaleDB (without the TSL license) can only create"
              + " chunks through the hypertable, aligned to the current chunk interval ("
              + interval + "); this chunk was made with another interval. Create the chunk on the"
              + " target by hand, or use a target with TimescaleDB's TSL license, then run stage"
              + " again.");
    }
  }

  /**
   * Decides each chunk's action from the tasks staged before. A chunk already copied under other
   * bounds cannot be re-planned: its copy would be incomplete or too large. That is an error
   * naming the chunks, raised before anything is written.
   *
   * @param asStored whether both sides run the same release: then a compressed source chunk's
   *     batches travel as stored, into a compressed chunk stage creates; else the copy compresses the
   *     target chunk itself
   */
  public static List<PlannedChunk> classify(
      List<PlannedChunk> plan,
      Map<TimeType, Bound> until,
      Map<TimeType, Bound> from,
      Map<String, StagedTask> staged,
      boolean asStored) {
    List<PlannedChunk> result = new ArrayList<>(plan.size());
    List<String> conflicts = new ArrayList<>();
    for (PlannedChunk planned : plan) {
      TimeType type = planned.chunk().hypertable().timeType();
      String filter = planned.chunk().edgeFilter(until.get(type), from.get(type));
      ChunkRef ref = planned.chunk().ref();
      StagedTask before = staged.get(key(ref.schema(), ref.name()));
      Action action;
      if (before == null) {
        action = Action.NEW;
      } else if (Objects.equals(before.filter(), filter)) {
        action = Action.SKIP;
      } else if (!before.copied()) {
        action = Action.REPLAN;
      } else {
        conflicts.add(planned.chunk().ref().qualifiedName());
        continue;
      }
      boolean toCopy = before == null || !before.copied();
      boolean needsCompressed =
          asStored
              && toCopy
              && ref.compressed() != null
              && (planned.target() == null || planned.target().compressed() == null);
      result.add(new PlannedChunk(planned.chunk(), planned.targetHypertable(), planned.target(),
          filter, action, needsCompressed));
    }
    if (!conflicts.isEmpty()) {
      throw BackfillException.usage(
          conflicts.size() + " chunks were already copied with other bounds: "
              + String.join(", ", conflicts.subList(0, Math.min(MAX_LISTED, conflicts.size())))
              + (conflicts.size() > MAX_LISTED ? ", ..." : "")
              + ". Re-staging them with new bounds would leave their copies wrong. Run the `clean`"
              + " command first, then stage and copy again.");
    }
    return result;
  }

  /**
   * Checks that every compressed source chunk still to be copied was compressed with the settings of
   * the target chunk that will hold its batches: the target's compressed chunk, or, where stage
   * creates one, the target hypertable's. The first sentences are the original's message.
   *
   * @param settings every compression setting of each side, keyed by {@code "schema"."table"} of
   *     the compressed chunk or hypertable
   */
  public static void checkCompressionSettings(
      List<PlannedChunk> plan,
      Map<String, CompressionSettings> sourceSettings,
      Map<String, CompressionSettings> targetSettings) {
    for (PlannedChunk planned : plan) {
      TableRef compressed = planned.chunk().ref().compressed();
      boolean toCopy = planned.action() != Action.SKIP || planned.needsCompressedChunk();
      if (compressed == null || !toCopy) {
        continue;
      }
      CompressionSettings source = sourceSettings.get(compressed.qualifiedName());
      if (source == null) {
        continue;
      }
      TableRef targetCompressed = planned.target() == null ? null : planned.target().compressed();
      if (targetCompressed != null) {
        requireSameCompression(planned, source, "compressed chunk '" + targetCompressed.schema() + "."
            + targetCompressed.name() + "'", targetSettings.get(targetCompressed.qualifiedName()));
      } else {
        CompressionSettings target = targetSettings.get(planned.targetHypertable().qualifiedName());
        if (target == null || !target.admits(source)) {
          throw compressionMismatch(planned, source, "hypertable '" + planned.targetHypertable().schema()
              + "." + planned.targetHypertable().name() + "'", target);
        }
      }
    }
  }

  /**
   * The batches of {@code planned}'s source chunk, shaped by {@code source}, may go only into a
   * compressed chunk with exactly those settings: {@code target}, of the target's {@code what}.
   */
  public static void requireSameCompression(
      PlannedChunk planned, CompressionSettings source, String what, CompressionSettings target) {
    if (!source.equals(target)) {
      throw compressionMismatch(planned, source, what, target);
    }
  }

  private static BackfillException compressionMismatch(
      PlannedChunk planned, CompressionSettings source, String what, CompressionSettings target) {
    TableRef compressed = planned.chunk().ref().compressed();
    return BackfillException.usage(
        "Compression settings mismatch. The compressed chunk of " + planned.chunk().ref().qualifiedName()
            + " is copied in its compressed form, so the target must compress it the same way."
            + " Compression settings for the compressed chunk '" + compressed.schema() + "."
            + compressed.name() + "' in source are different than the settings for the " + what
            + " in target:\n- SOURCE: " + source + "\n- TARGET: " + (target == null ? "no compression" : target)
            + "\nAlign the target hypertable's compression settings with the source chunk's for the"
            + " backfill (ALTER TABLE ... SET (timescaledb.compress_segmentby = ...,"
            + " timescaledb.compress_orderby = ...)), run stage again, and restore them after the"
            + " copy.");
  }

  /** The key of a chunk in {@link #classify}'s map of staged tasks. */
  public static String key(String chunkSchema, String chunkName) {
    return chunkSchema + "\u0000" + chunkName;
  }

  /** Newest chunks first across all hypertables, so that they get the first priorities. */
  public static List<SourceChunk> newestFirst(Map<SourceHypertable, List<SourceChunk>> chunks) {
    return chunks.values().stream()
        .flatMap(List::stream)
        .sorted(Comparator.comparingLong(SourceChunk::timeStart).reversed())
        .toList();
  }

  /** Slices as {@code create_chunk} takes them: {@code {"time": [start, end], ...}}. */
  public static String createChunkSlices(ChunkRef chunk) {
    Map<String, List<Long>> slices = new LinkedHashMap<>();
    chunk.slices().values().forEach(s -> slices.put(s.column(), List.of(s.start(), s.end())));
    return new io.vertx.core.json.JsonObject(new LinkedHashMap<>(slices)).encode();
  }
}
