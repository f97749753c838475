package io.github.backfill.coordinator.run;

import io.github.backfill.common.HumanUnits;
import io.github.backfill.common.task.TaskKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a copy or verify run.
 *
 * @param chunks chunks copied, or verified (with or without differences)
 * @param skipped chunks whose source chunk was dropped after stage
 * @param failed chunks that failed for good
 * @param taken claims that found the chunk held or done by another process (another copy sharing
 *     the queue), which then got another
 * @param failure the first permanent failure, naming its chunk; null when none
 * @param stopped whether a graceful stop ended the run early
 * @param chunksByNode chunks processed by each worker node, by node id ({@code local} on one host)
 */
public record RunSummary(
    TaskKind kind,
    int chunks,
    long rows,
    long bytes,
    double seconds,
    int skipped,
    int failed,
    int differences,
    int taken,
    String failure,
    boolean stopped,
    Map<String, Integer> chunksByNode) {

  /** A run that found nothing left to do, and so did nothing. */
  public static RunSummary none(TaskKind kind) {
    return new RunSummary(kind, 0, 0, 0, 0, 0, 0, 0, 0, null, false, Map.of());
  }

  /** The original's closing lines, and a note on chunks other processes held. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (taken > 0) {
      lines.add(taken + " times a chunk was held or done by another process; its workers took others.");
    }
    if (kind == TaskKind.COPY) {
      lines.add("Copied " + HumanUnits.bytes(bytes) + " from " + chunks + " chunks in "
          + HumanUnits.duration(seconds) + ".");
      if (failure == null) {
        lines.add("Execute the 'verify' command to assert data integrity.");
      }
    } else {
      // "Verifed" is the original's spelling; scripts may match it.
      lines.add("Verifed " + chunks + " chunks in " + HumanUnits.duration(seconds) + ".");
      if (differences > 0) {
        lines.add(differences + " chunks differ between source and target.");
      } else if (failure == null) {
        lines.add("Execute the 'clean' command to remove the backfill administrative schema from the"
            + " target database.");
      }
    }
    return lines;
  }

  /** One line per worker node, for a run across several: {@code node 1a2b...: 12 chunks}. */
  public List<String> nodeLines() {
    List<String> lines = new ArrayList<>();
    new TreeMap<>(chunksByNode).forEach((node, count) -> lines.add("  node " + node + ": " + count + " chunks"));
    return lines;
  }

  /** The JSON of the command-line contract. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("chunks", chunks)
        .put("rows", rows)
        .put("bytes", bytes)
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("skipped", skipped)
        .put("failed", failed);
    if (kind == TaskKind.VERIFY) {
      json.put("differences", differences);
    }
    return json;
  }
}
