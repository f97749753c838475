package io.github.backfill.common.task;

import io.vertx.core.json.JsonObject;

/**
 * What a worker reports for one task.
 *
 * @param chunk the source chunk as {@code "schema"."name"}, or null when the task was not claimed
 * @param message the line to print (the original's wording), or the error
 */
public record TaskReport(
    long priority,
    TaskOutcome outcome,
    String chunk,
    long rows,
    long bytes,
    double seconds,
    String message) {

  public static TaskReport taken(long priority) {
    return new TaskReport(priority, TaskOutcome.TAKEN, null, 0, 0, 0, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("priority", priority)
        .put("outcome", outcome.name())
        .put("chunk", chunk)
        .put("rows", rows)
        .put("bytes", bytes)
        .put("seconds", seconds)
        .put("message", message);
  }

  public static TaskReport fromJson(JsonObject json) {
    return new TaskReport(
        json.getLong("priority"),
        TaskOutcome.valueOf(json.getString("outcome")),
        json.getString("chunk"),
        json.getLong("rows", 0L),
        json.getLong("bytes", 0L),
        json.getDouble("seconds", 0.0),
        json.getString("message"));
  }
}
