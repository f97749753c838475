package io.github.backfill.coordinator.stage;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code stage} did.
 *
 * @param staged new tasks
 * @param skipped chunks staged before with the same bounds
 * @param replanned pending tasks given the new bounds' edge filter
 * @param createdChunks target chunks created for source chunks the target lacked
 * @param createdCompressedChunks compressed chunks created for compressed source chunks
 */
public record StageResult(
    int staged, int skipped, int replanned, int createdChunks, int createdCompressedChunks) {
  /** The original's lines, and one for re-planned tasks. */
  public List<String> summary() {
    List<String> lines = new ArrayList<>();
    if (skipped > 0) {
      lines.add(
          "Skipping "
              + skipped
              + " chunks that were already staged. To re-stage run the `clean` command first.");
    }
    if (replanned > 0) {
      lines.add("Re-planned " + replanned + " pending chunks for the new bounds.");
    }
    if (createdChunks > 0) {
      lines.add("Created " + createdChunks + " chunks on the target that it lacked.");
    }
    if (createdCompressedChunks > 0) {
      lines.add("Created " + createdCompressedChunks + " compressed chunks on the target for compressed"
          + " source chunks.");
    }
    lines.add("Staged " + staged + " chunks to copy.");
    lines.add("Execute the 'copy' command to migrate the data.");
    return lines;
  }
}
