package io.github.backfill.coordinator.run;

import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.ReactiveClients;
import io.github.backfill.common.db.ReactiveSession;
import io.github.backfill.common.db.Sql;
import io.github.backfill.common.metrics.BackfillMetrics;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of one copy or verify run: it announces the run, hands the pending tasks'
 * priorities, lowest (newest chunks) first, to workers that ask for work, and counts what they
 * report. The database decides who owns a task (the worker's row lock) and whether it is done; the
 * coordinator only spreads the work, so a lost or repeated message costs at most a wasted claim.
 *
 * <p>Messages may be lost (a partition, a node that dies between claim and report): a task handed out
 * {@link #STALE_MILLIS} ago without a word is checked in the database every few seconds. Done
 * there, it counts as done; still to do and held by nobody, it goes back in the list. A task that a
 * live session holds is left alone, however long its copy takes.
 *
 * <p>So a task may be out with two slots at once: one it was handed to first, then thought lost, and
 * the one it was handed to again. Whichever reports it done is counted, once; a failure or a lost
 * claim counts only from the slot it is out with now.
 *
 * <p>When its list runs dry and no task is running, it asks the database for the tasks still to do
 * that nobody holds (rolled back elsewhere, or given back by a lost node) and hands them out again;
 * while others hold the rest (another copy process, a dead node's transaction the server has not yet
 * dropped), it waits for them. A worker node that leaves the cluster has its running tasks put back
 * in the list at once. The run ends when nothing is left to do, or after a stop when nothing runs.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorVerticle.class);
  /** How long a worker waits before asking again while others finish. */
  static final long WAIT_MILLIS = 200;
  /** How long to wait before asking again about tasks other sessions hold. */
  static final long HELD_WAIT_MILLIS = 1_000;
  /** How long a task may be out without news before the database is asked about it. */
  static final long STALE_MILLIS = 15_000;
  /** How often that is checked. */
  static final long RECONCILE_MILLIS = 5_000;

  private final String runId;
  private final TaskKind kind;
  private final TaskOptions options;
  private final ConnectionSettings target;
  private final RunListener listener;
  private final BackfillMetrics metrics;
  private final Promise<RunSummary> done = Promise.promise();
  private final Deque<Long> queue = new ArrayDeque<>();
  private final Map<Long, String> inFlight = new HashMap<>();
  private final Map<Long, Long> handedOutAt = new HashMap<>();
  private final Map<Long, Long> moving = new HashMap<>();
  private final Set<Long> finishedTasks = new HashSet<>();
  private final Map<String, Integer> chunksByNode = new TreeMap<>();
  private Pool pool;
  private long started;
  private long announcer;
  private long reconciler;
  private boolean reconciling;
  private long nextRefill;
  private int total;
  private int processed;
  private int chunks;
  private int skipped;
  private int failed;
  private int differences;
  private int taken;
  private long rows;
  private long bytes;
  private String failure;
  private boolean stopping;
  /** The refill under way, if any. */
  private Future<Void> refilling;
  private boolean exhausted;
  private MessageConsumer<JsonObject> work;
  private MessageConsumer<JsonObject> events;

  public CoordinatorVerticle(
      String runId,
      TaskKind kind,
      TaskOptions options,
      ConnectionSettings target,
      RunListener listener,
      BackfillMetrics metrics) {
    this.runId = runId;
    this.kind = kind;
    this.options = options;
    this.target = target;
    this.listener = listener;
    this.metrics = metrics;
  }

  /** Completes when no task is left to hand out and none is running. */
  public Future<RunSummary> done() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    started = System.nanoTime();
    pool = ReactiveClients.pool(vertx, target, 1);
    return pending(Sql.PENDING_TASKS)
        .compose(
            priorities -> {
              queue.addAll(priorities);
              total = priorities.size();
              metrics.pending(queue.size());
              work = vertx.eventBus().consumer(BusProtocol.workAddress(runId), this::onWorkRequest);
              events = vertx.eventBus().consumer(BusProtocol.eventsAddress(runId), this::onEvent);
              // Announced once the cluster knows both addresses: a worker that asks before finds
              // no handler and asks again only a second later.
              return Future.all(work.completion(), events.completion());
            })
        .map(
            registered -> {
              announce();
              announcer = vertx.setPeriodic(BusProtocol.ANNOUNCE_MILLIS, t -> announce());
              reconciler = vertx.setPeriodic(RECONCILE_MILLIS, t -> reconcile());
              return null;
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(announcer);
    vertx.cancelTimer(reconciler);
    return Future.join(
        work == null ? Future.succeededFuture() : work.unregister(),
        events == null ? Future.succeededFuture() : events.unregister(),
        pool.close());
  }

  private void announce() {
    if (!done.future().isComplete()) {
      vertx.eventBus().publish(BusProtocol.RUNS_ADDRESS, BusProtocol.announce(runId, kind, options));
    }
  }

  /** Hands out no new task; the run ends when the running ones have. Safe from any thread. */
  public void stopGracefully() {
    context.runOnContext(
        x -> {
          if (!stopping) {
            stopping = true;
            listener.stopping();
            completeIfIdle();
          }
        });
  }

  /** Tells every worker of the run to roll back and stop at once. Safe from any thread. */
  public void abort() {
    vertx.eventBus().publish(BusProtocol.abortAddress(runId), new JsonObject().put("run", runId));
  }

  /**
   * A worker node left the cluster: its sessions on the target are ended (they carry the node in
   * their application_name), then its running tasks go back to the list. Ending them matters for a
   * frozen host: its kernel still answers TCP keepalives, so its transactions and row locks would
   * never time out, and a node that wakes could still commit. Safe from any thread.
   */
  public void nodeLost(String nodeId) {
    context.runOnContext(
        x -> pool.preparedQuery(Sql.TERMINATE_NODE_SESSIONS.text()).execute(Tuple.of(nodeId))
            .map(rows -> rows.iterator().next().getLong("ended"))
            .onFailure(e -> LOG.warn("could not end the database sessions of lost node {} ({}); its chunks"
                + " stay locked until the server drops them", nodeId, DbErrors.serverMessage(e)))
            .otherwiseEmpty()
            .onComplete(ended -> {
              List<Long> orphans = new ArrayList<>();
              inFlight.forEach((priority, worker) -> {
                if (worker.startsWith(nodeId + "/")) {
                  orphans.add(priority);
                }
              });
              orphans.forEach(
                  priority -> {
                    inFlight.remove(priority);
                    moving.remove(priority);
                    queue.addFirst(priority);
                  });
              Long count = ended.result();
              listener.nodeLost(nodeId, orphans.size(), count == null ? -1 : count);
              // Freed rows are found by the next refill at once.
              nextRefill = System.nanoTime();
              completeIfIdle();
            }));
  }

  private Future<List<Long>> pending(Sql query) {
    return pool.preparedQuery(query.text())
        .execute(Tuple.of(kind == TaskKind.VERIFY))
        .map(rows -> ReactiveSession.map(rows, r -> r.getLong("priority")))
        .recover(e -> Future.failedFuture(DbErrors.translate(target, "reading the pending tasks", e)));
  }

  private void onWorkRequest(Message<JsonObject> request) {
    if (!BusProtocol.ofRun(request.body(), runId)) {
      return;
    }
    if (!stopping && !exhausted && queue.isEmpty() && inFlight.isEmpty()) {
      // Nothing listed and nothing running: the database says what is left before the answer, so
      // that a run with nothing left ends now rather than after a worker's wait.
      refill().onComplete(x -> answer(request));
    } else {
      answer(request);
    }
  }

  private void answer(Message<JsonObject> request) {
    if (stopping || exhausted) {
      request.reply(BusProtocol.finished(runId));
      return;
    }
    Long next = queue.poll();
    if (next != null) {
      inFlight.put(next, request.body().getString("worker"));
      handedOutAt.put(next, System.nanoTime());
      metrics.pending(queue.size());
      request.reply(BusProtocol.assign(runId, kind, next));
      return;
    }
    request.reply(BusProtocol.waitFor(runId, WAIT_MILLIS));
  }

  /**
   * The list ran dry with nothing running: hand out again what is still to do and free, wait for
   * what others hold, and end when nothing is left.
   */
  private Future<Void> refill() {
    if (refilling != null) {
      return refilling;
    }
    if (System.nanoTime() < nextRefill) {
      return Future.succeededFuture();
    }
    Promise<Void> refilled = Promise.promise();
    refilling = refilled.future();
    pending(Sql.CLAIMABLE_TASKS)
        .compose(free -> pending(Sql.PENDING_TASKS).map(all -> List.of(free, all)))
        .onComplete(
            result -> {
              refilling = null;
              if (result.failed()) {
                fail("reading the pending tasks failed: " + result.cause().getMessage());
              } else {
                List<Long> free = result.result().get(0);
                List<Long> all = result.result().get(1);
                free.stream().filter(p -> !inFlight.containsKey(p)).forEach(queue::add);
                if (all.isEmpty()) {
                  exhausted = true;
                  completeIfIdle();
                } else if (queue.isEmpty()) {
                  // Others hold them: look again in a while.
                  nextRefill = System.nanoTime() + HELD_WAIT_MILLIS * 1_000_000;
                }
                metrics.pending(queue.size());
              }
              refilled.complete();
            });
    return refilled.future();
  }

  /** Asks the database about tasks out for long without news; see the class comment. */
  private void reconcile() {
    long now = System.nanoTime();
    List<Long> stale = inFlight.keySet().stream()
        .filter(p -> now - handedOutAt.getOrDefault(p, now) > STALE_MILLIS * 1_000_000)
        .toList();
    if (stale.isEmpty() || reconciling) {
      return;
    }
    reconciling = true;
    Tuple args = Tuple.of(stale.toArray(Long[]::new), kind == TaskKind.VERIFY);
    pool.preparedQuery(Sql.TASK_STATES.text()).execute(args)
        .compose(states -> pool.preparedQuery(Sql.CLAIMABLE_AMONG.text()).execute(args).map(free -> {
          for (var row : states) {
            long priority = row.getLong("priority");
            String worker = inFlight.get(priority);
            if (worker != null && row.getBoolean("done")) {
              inFlight.remove(priority);
              moving.remove(priority);
              if (finishedTasks.add(priority)) {
                count(recorded(row), worker);
              }
            }
          }
          for (var row : free) {
            long priority = row.getLong("priority");
            if (inFlight.remove(priority) != null) {
              moving.remove(priority);
              queue.addFirst(priority);
            }
          }
          return null;
        }))
        .onComplete(x -> {
          reconciling = false;
          completeIfIdle();
        });
  }

  /** A task's outcome as the database recorded it, for a report that never came. */
  private TaskReport recorded(io.vertx.sqlclient.Row row) {
    String message = row.getString("message");
    TaskOutcome outcome;
    if (kind == TaskKind.COPY) {
      outcome = message != null && message.startsWith("Skipping") ? TaskOutcome.SOURCE_GONE : TaskOutcome.COPIED;
    } else {
      Boolean same = row.getBoolean("verify_ok");
      outcome = same == null ? TaskOutcome.SOURCE_GONE : same ? TaskOutcome.VERIFIED : TaskOutcome.DIFFERENT;
    }
    return new TaskReport(row.getLong("priority"), outcome, row.getString("chunk"), row.getLong("rows"),
        row.getLong("bytes"), 0, message);
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
    long priority = report.priority();
    String slot = body.getString("worker", "");
    if (!report.outcome().done() && !slot.equals(inFlight.get(priority))) {
      // A failure or a lost claim from a slot the task is no longer out with (it was handed out
      // again since): its assignee reports. Work done and committed counts whoever did it.
      return;
    }
    inFlight.remove(priority);
    handedOutAt.remove(priority);
    moving.remove(priority);
    if (report.outcome() == TaskOutcome.TAKEN) {
      taken++;
    } else if (finishedTasks.add(priority)) {
      count(report, slot);
    }
    completeIfIdle();
  }

  private void count(TaskReport report, String worker) {
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
      chunksByNode.merge(worker.substring(0, Math.max(0, worker.lastIndexOf('/'))), 1, Integer::sum);
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
    if ((stopping || exhausted) && inFlight.isEmpty() && !done.future().isComplete()) {
      vertx.cancelTimer(announcer);
      vertx.cancelTimer(reconciler);
      vertx.eventBus().publish(BusProtocol.RUNS_ADDRESS, BusProtocol.over(runId));
      done.tryComplete(summary());
    }
  }

  private RunSummary summary() {
    return new RunSummary(kind, chunks, rows, bytes, (System.nanoTime() - started) / 1e9, skipped,
        failed, differences, taken, failure, stopping && failure == null && !exhausted,
        Map.copyOf(chunksByNode));
  }

  /** What has finished so far, for a run stopped at once. Safe from any thread. */
  public Future<RunSummary> summarySoFar() {
    Promise<RunSummary> sofar = Promise.promise();
    context.runOnContext(v -> sofar.complete(summary()));
    return sofar.future();
  }
}
