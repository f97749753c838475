package io.github.backfill.coordinator.run;

import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.ReactiveClients;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOutcome;
import io.github.backfill.common.task.TaskReport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator of one copy or verify run: it hands the pending tasks' priorities, lowest (newest
 * chunks) first, to workers that ask for work, and counts what they report. The database decides
 * who owns a task (the worker's row lock) and whether it is done; the coordinator only spreads the
 * work, so a lost or repeated message costs at most a wasted claim. When its list runs dry it asks
 * the database once more for tasks still pending (rolled back elsewhere, say); a task that another
 * process holds twice in a row is left to that process.
 */
public final class CoordinatorVerticle extends VerticleBase {
  /** How long a worker waits before asking again while others finish. */
  static final long WAIT_MILLIS = 200;

  private final String runId;
  private final TaskKind kind;
  private final ConnectionSettings target;
  private final RunListener listener;
  private final Promise<RunSummary> done = Promise.promise();
  private final Deque<Long> queue = new ArrayDeque<>();
  private final Map<Long, String> inFlight = new HashMap<>();
  private final Map<Long, Long> moving = new HashMap<>();
  private final Map<Long, Integer> timesTaken = new HashMap<>();
  private final Set<Long> finishedTasks = new HashSet<>();
  private Pool pool;
  private long started;
  private int total;
  private int processed;
  private int chunks;
  private int skipped;
  private int failed;
  private int differences;
  private long rows;
  private long bytes;
  private String failure;
  private boolean stopping;
  private boolean refilling;
  private boolean exhausted;
  private MessageConsumer<JsonObject> work;
  private MessageConsumer<JsonObject> events;

  public CoordinatorVerticle(String runId, TaskKind kind, ConnectionSettings target, RunListener listener) {
    this.runId = runId;
    this.kind = kind;
    this.target = target;
    this.listener = listener;
  }

  /** Completes when no task is left to hand out and none is running. */
  public Future<RunSummary> done() {
    return done.future();
  }

  /** The number of tasks pending when the run started. */
  public int total() {
    return total;
  }

  @Override
  public Future<?> start() {
    started = System.nanoTime();
    pool = ReactiveClients.pool(vertx, target, 1);
    return pending()
        .map(
            priorities -> {
              queue.addAll(priorities);
              total = priorities.size();
              work = vertx.eventBus().consumer(BusProtocol.workAddress(runId), this::onWorkRequest);
              events = vertx.eventBus().consumer(BusProtocol.eventsAddress(runId), this::onEvent);
              return null;
            });
  }

  @Override
  public Future<?> stop() {
    return Future.join(
        work == null ? Future.succeededFuture() : work.unregister(),
        events == null ? Future.succeededFuture() : events.unregister(),
        pool.close());
  }

  /** Hands out no new task; the run ends when the running ones have. Call on this verticle's context. */
  public void stopGracefully() {
    if (!stopping) {
      stopping = true;
      listener.stopping();
      completeIfIdle();
    }
  }

  private Future<List<Long>> pending() {
    return pool.preparedQuery(Sql.PENDING_TASKS.text())
        .execute(Tuple.of(kind == TaskKind.VERIFY))
        .map(rows -> ReactiveSession.map(rows, r -> r.getLong("priority")))
        .recover(e -> Future.failedFuture(DbErrors.translate(target, "reading the pending tasks", e)));
  }

  private void onWorkRequest(Message<JsonObject> request) {
    if (!BusProtocol.ofRun(request.body(), runId)) {
      return;
    }
    if (stopping || exhausted) {
      request.reply(BusProtocol.finished(runId));
      return;
    }
    Long next = queue.poll();
    if (next != null) {
      inFlight.put(next, request.body().getString("worker"));
      request.reply(BusProtocol.assign(runId, kind, next));
      return;
    }
    request.reply(BusProtocol.waitFor(runId, WAIT_MILLIS));
    if (inFlight.isEmpty()) {
      refill();
    }
  }

  /** The list ran dry: ask the database for tasks still pending that are worth another claim. */
  private void refill() {
    if (refilling) {
      return;
    }
    refilling = true;
    pending()
        .onComplete(
            result -> {
              refilling = false;
              if (result.failed()) {
                fail("reading the pending tasks failed: " + result.cause().getMessage());
                return;
              }
              for (Long priority : result.result()) {
                if (!inFlight.containsKey(priority) && !finishedTasks.contains(priority)
                    && timesTaken.getOrDefault(priority, 0) < 2) {
                  queue.add(priority);
                }
              }
              if (queue.isEmpty()) {
                exhausted = true;
                completeIfIdle();
              }
            });
  }

  private void onEvent(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (!BusProtocol.ofRun(body, runId)) {
      return;
    }
    JsonObject progress = body.getJsonObject("progress");
    if (progress != null) {
      long priority = progress.getLong("priority");
      if (inFlight.containsKey(priority)) {
        moving.put(priority, progress.getLong("bytes"));
        listener.moving(moving.values().stream().mapToLong(Long::longValue).sum());
      }
      return;
    }
    TaskReport report = TaskReport.fromJson(body.getJsonObject("report"));
    if (inFlight.remove(report.priority()) == null) {
      return; // a stale or repeated report: the task was already counted
    }
    moving.remove(report.priority());
    if (report.outcome() == TaskOutcome.TAKEN) {
      timesTaken.merge(report.priority(), 1, Integer::sum);
    } else {
      finishedTasks.add(report.priority());
      count(report);
    }
    completeIfIdle();
  }

  private void count(TaskReport report) {
    switch (report.outcome()) {
      case COPIED, VERIFIED -> chunks++;
      case DIFFERENT -> {
        chunks++;
        differences++;
      }
      case SOURCE_GONE -> skipped++;
      case FAILED -> {
        failed++;
        fail("failed to " + kind.label() + " chunk "
            + (report.chunk() == null ? "of task " + report.priority() : report.chunk()) + ": "
            + report.message());
      }
      default -> {}
    }
    rows += report.rows();
    bytes += report.bytes();
    if (report.outcome() != TaskOutcome.FAILED) {
      processed++;
      listener.taskEnded(report, processed, total);
    }
  }

  private void fail(String message) {
    if (failure == null) {
      failure = message;
    }
    stopping = true;
    completeIfIdle();
  }

  private void completeIfIdle() {
    if ((stopping || exhausted) && inFlight.isEmpty()) {
      done.tryComplete(
          new RunSummary(kind, chunks, rows, bytes, (System.nanoTime() - started) / 1e9, skipped,
              failed, differences, failure, stopping && failure == null && !exhausted));
    }
  }
}
