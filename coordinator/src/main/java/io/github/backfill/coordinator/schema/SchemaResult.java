package io.github.backfill.coordinator.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code schema} did.
 *
 * @param created one line per object created, such as {@code hypertable "public"."metrics"}
 * @param present how many selected objects the target had already, in the same shape
 * @param pgDump the pg_dump that dumped the plain schema, or null when nothing was created
 */
public record SchemaResult(List<String> created, int present, String pgDump) {
  /** The lines the command prints. */
  public List<String> summary() {
    if (created.isEmpty()) {
      return List.of(
          present == 0
              ? "Nothing to create: the source has no table, hypertable or continuous aggregate that"
                  + " the filter selects."
              : "Nothing to create: the target already has the " + present + " selected tables,"
                  + " hypertables and continuous aggregates, in the source's shape.");
    }
    List<String> lines = new ArrayList<>();
    created.forEach(c -> lines.add("Created " + c));
    lines.add("Created " + created.size() + (created.size() == 1 ? " object" : " objects") + " on the target"
        + (present > 0 ? " (" + present + (present == 1 ? " was" : " were") + " there already)" : "")
        + "; the plain schema came from " + pgDump + ".");
    return lines;
  }
}
