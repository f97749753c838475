package io.github.backfill.coordinator.status;

import io.github.backfill.common.HumanUnits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code status} found: one line per hypertable and the totals, then the chunks each worker
 * node copied and verified; {@code schemaPresent} false when the target has no {@code __backfill}
 * schema.
 */
public record StatusResult(boolean schemaPresent, List<HypertableProgress> hypertables, List<NodeProgress> nodes) {
  private static final HypertableProgress ZERO =
      new HypertableProgress(null, null, null, 0, 0, 0, 0, 0, 0, 0, null);

  public HypertableProgress totals() {
    return hypertables.stream().reduce(ZERO, HypertableProgress::plus);
  }

  /** The JSON of the command-line contract (which has no per-node part: the table shows it). */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    hypertables.forEach(h -> list.add(h.toJson(false)));
    return new JsonObject().put("hypertables", list).put("totals", totals().toJson(true));
  }

  /** A table for people, one row per hypertable, then the totals and the last errors. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    if (!schemaPresent) {
      lines.add("Nothing staged: the target database has no backfill administrative schema"
          + " (__backfill). Run the `stage` command first.");
      return lines;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"hypertable", "staged", "copied", "pending", "verified", "failed", "rows", "bytes"});
    for (HypertableProgress h : hypertables) {
      rows.add(cells(h.displayName(), h));
    }
    rows.add(cells("total", totals()));
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String format = i == 0 ? "%-" + widths[i] + "s" : "  %" + widths[i] + "s";
        line.append(String.format(format, row[i]));
      }
      lines.add(line.toString().stripTrailing());
    }
    if (!nodes.isEmpty()) {
      int width = nodes.stream().mapToInt(n -> n.node().length()).max().orElse(0);
      lines.add("Chunks per node:");
      for (NodeProgress n : nodes) {
        lines.add(String.format("  %-" + width + "s  copied %d, verified %d", n.node(), n.copied(), n.verified()));
      }
    }
    for (HypertableProgress h : hypertables) {
      if (h.lastError() != null) {
        lines.add("Last error in " + h.displayName() + ": " + h.lastError());
      }
    }
    return lines;
  }

  private static String[] cells(String name, HypertableProgress h) {
    return new String[] {name, Long.toString(h.staged()), Long.toString(h.copied()),
        Long.toString(h.pending()), Long.toString(h.verified()), Long.toString(h.verifyFailed()),
        Long.toString(h.rows()), HumanUnits.bytes(h.bytes())};
  }
}
