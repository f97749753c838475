package io.github.backfill.common.bus;

import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskReport;
import io.vertx.core.json.JsonObject;

/**
 * The messages between the coordinator verticle and the worker verticles. The bus is a doorbell: it
 * says which task a worker may try next and carries progress; ownership and completion live in
 * {@code __backfill.task}, so a lost, repeated or stale message does no harm. Every message carries
 * its run's id, and every address contains it: messages of other runs are never seen, and any that
 * arrive are dropped. No message carries connection settings or credentials.
 *
 * <ul>
 *   <li>A worker asks for work: a request to {@link #workAddress} with {@link #workRequest}; the
 *       coordinator answers {@link #assign}, {@link #waitFor} or {@link #finished}.
 *   <li>A worker reports each task's end with {@link #report}, sent to {@link #eventsAddress}, and
 *       progress during a long copy with {@link #progress}.
 * </ul>
 */
public final class BusProtocol {
  private BusProtocol() {}

  public static String workAddress(String runId) {
    return "backfill." + runId + ".work";
  }

  public static String eventsAddress(String runId) {
    return "backfill." + runId + ".events";
  }

  /**
   * Where coordinators announce their runs, every second while they last, so that worker nodes, even
   * ones that join late, start serving them; and where each says, once, that its run has ended.
   */
  public static final String RUNS_ADDRESS = "backfill.runs";

  /** How often a coordinator announces its run. */
  public static final long ANNOUNCE_MILLIS = 1_000;

  /** Where a coordinator tells a run's workers to roll back what they are doing and stop at once. */
  public static String abortAddress(String runId) {
    return "backfill." + runId + ".abort";
  }

  /** A run is on: worker nodes serve it with their own connection settings. */
  public static JsonObject announce(String runId, TaskKind kind, TaskOptions options) {
    return new JsonObject().put("run", runId).put("kind", kind.name())
        .put("deep", options.deep()).put("analyze", options.analyze());
  }

  /**
   * The run has ended: published once on {@link #RUNS_ADDRESS} by its coordinator, so that worker
   * nodes stop asking and never serve it again.
   */
  public static JsonObject over(String runId) {
    return new JsonObject().put("run", runId).put("over", true);
  }

  /** Whether a message on {@link #RUNS_ADDRESS} says its run has ended. */
  public static boolean isOver(JsonObject message) {
    return message.getBoolean("over", false);
  }

  /** The task options of a run's announcement. */
  public static TaskOptions taskOptions(JsonObject announcement) {
    return new TaskOptions(announcement.getBoolean("deep", false), announcement.getBoolean("analyze", false));
  }

  public static JsonObject workRequest(String runId, String workerId) {
    return new JsonObject().put("run", runId).put("worker", workerId);
  }

  /** Try the task of this priority. */
  public static JsonObject assign(String runId, TaskKind kind, long priority) {
    return new JsonObject().put("run", runId).put("kind", kind.name()).put("priority", priority);
  }

  /** Nothing to hand out now; ask again after this many milliseconds. */
  public static JsonObject waitFor(String runId, long millis) {
    return new JsonObject().put("run", runId).put("wait", millis);
  }

  /** The run is over (done, failed or stopping): ask no more. */
  public static JsonObject finished(String runId) {
    return new JsonObject().put("run", runId).put("finished", true);
  }

  public static JsonObject report(String runId, String workerId, TaskReport report) {
    return new JsonObject().put("run", runId).put("worker", workerId).put("report", report.toJson());
  }

  /** Rows and bytes moved so far by a task still running. */
  public static JsonObject progress(String runId, String workerId, long priority, long rows, long bytes) {
    return new JsonObject()
        .put("run", runId)
        .put("worker", workerId)
        .put("progress", new JsonObject().put("priority", priority).put("rows", rows).put("bytes", bytes));
  }

  /** Whether {@code message} belongs to run {@code runId}. */
  public static boolean ofRun(JsonObject message, String runId) {
    return message != null && runId.equals(message.getString("run"));
  }
}
