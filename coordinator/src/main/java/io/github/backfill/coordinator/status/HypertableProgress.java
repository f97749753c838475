package io.github.backfill.coordinator.status;

import io.vertx.core.json.JsonObject;

/**
 * The progress of one hypertable's tasks, or of all of them (names null). {@code displayName} is
 * quoted only where needed, as {@code --filter} matches it.
 */
public record HypertableProgress(
    String schema,
    String name,
    String displayName,
    long staged,
    long copied,
    long pending,
    long verified,
    long verifyFailed,
    long rows,
    long bytes,
    String lastError) {

  HypertableProgress plus(HypertableProgress other) {
    return new HypertableProgress(null, null, null, staged + other.staged, copied + other.copied,
        pending + other.pending, verified + other.verified, verifyFailed + other.verifyFailed,
        rows + other.rows, bytes + other.bytes, null);
  }

  /** The JSON object of the command-line contract; totals leave out names and the last error. */
  JsonObject toJson(boolean totals) {
    JsonObject json = new JsonObject();
    if (!totals) {
      json.put("schema", schema).put("name", name);
    }
    json.put("staged", staged).put("copied", copied).put("pending", pending)
        .put("verified", verified).put("verify_failed", verifyFailed)
        .put("rows", rows).put("bytes", bytes);
    if (!totals) {
      json.put("last_error", lastError);
    }
    return json;
  }
}
