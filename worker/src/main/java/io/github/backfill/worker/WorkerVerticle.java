package io.github.backfill.worker;

import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOutcome;
import io.github.backfill.common.task.TaskReport;
import io.github.backfill.worker.task.ChunkTaskException;
import io.github.backfill.worker.task.TaskRunner;
import io.github.backfill.worker.task.TransientErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node's verticle: {@code parallelism} slots, each asking the coordinator of a run for a
 * task, claiming and running it on a worker thread (never on the event loop), reporting the outcome,
 * and asking again until the coordinator says the run is over, or is gone. A transient failure is
 * recorded on the task and retried with backoff; a permanent one is reported and ends the run. On
 * the coordinator's abort (its second SIGINT) the slots' connections are cut, so that the servers
 * roll back what was running, and the verticle stops.
 *
 * <p>The coordinator is gone only when its run has not been announced for {@link #SILENT_MILLIS}.
 * A request that finds no handler proves nothing while the announcements go on: the cluster's
 * registrations can be lost or stale for seconds (two members lost at once; a split of the cluster
 * that merges again), and a slot that took that for the end would leave the run for good while
 * chunks are still to do.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  /** How long a slot waits before asking again when the coordinator does not answer. */
  private static final long RETRY_ASK_MILLIS = 1_000;
  /** How long after the run's last announcement its coordinator counts as gone. */
  public static final long SILENT_MILLIS = 10 * BusProtocol.ANNOUNCE_MILLIS;

  /** How a verticle's part in its run ended. */
  public enum Ending {
    /** The coordinator said the run is over, or aborted it. */
    OVER,
    /** The coordinator stopped answering and announcing: dead, or cut off from this node. */
    SILENT
  }

  private final String runId;
  private final String workerId;
  private final TaskKind kind;
  private final int parallelism;
  private final TaskOptions options;
  private final Function<String, TaskRunner> runners;
  private final RetryPolicy retry;
  private final BackfillMetrics metrics;
  private final Promise<Ending> finished = Promise.promise();
  private final List<Slot> slots = new ArrayList<>();
  private WorkerExecutor executor;
  private MessageConsumer<JsonObject> aborts;
  private MessageConsumer<JsonObject> announcements;
  private long lastAnnounced;
  private int running;
  private boolean over;
  private volatile boolean aborted;

  /**
   * @param workerId this node's id; slots are {@code workerId/0}, {@code workerId/1}, ...
   * @param runners makes one task runner (with its own connections) for the slot of the given id
   * @param options how the tasks are done
   */
  public WorkerVerticle(
      String runId,
      String workerId,
      TaskKind kind,
      int parallelism,
      TaskOptions options,
      Function<String, TaskRunner> runners,
      RetryPolicy retry,
      BackfillMetrics metrics) {
    this.runId = runId;
    this.workerId = workerId;
    this.kind = kind;
    this.parallelism = parallelism;
    this.options = options;
    this.runners = runners;
    this.retry = retry;
    this.metrics = metrics;
  }

  /**
   * Completes when every slot has ended, told that the run is over or finding its coordinator gone,
   * and has closed its connections.
   */
  public Future<Ending> finished() {
    return finished.future();
  }

  @Override
  public Future<?> start() {
    // One thread per slot; ordered = false below, or every slot's task would run one at a time.
    executor = vertx.createSharedWorkerExecutor("backfill-" + workerId, parallelism, 24, TimeUnit.HOURS);
    running = parallelism;
    lastAnnounced = System.nanoTime();
    aborts = vertx.eventBus().consumer(BusProtocol.abortAddress(runId), message -> abort());
    announcements = vertx.eventBus().consumer(BusProtocol.RUNS_ADDRESS, message -> {
      if (BusProtocol.ofRun(message.body(), runId)) {
        if (BusProtocol.isOver(message.body())) {
          over = true;
        } else {
          lastAnnounced = System.nanoTime();
        }
      }
    });
    for (int i = 0; i < parallelism; i++) {
      Slot slot = new Slot(workerId + "/" + i);
      slots.add(slot);
      slot.ask();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(aborts.unregister(), announcements.unregister())
        .eventually(() -> executor.<Void>executeBlocking(() -> {
          slots.forEach(s -> s.runner.close());
          return null;
        }, false))
        .eventually(() -> executor.close());
  }

  /**
   * Cuts every slot's connections: the servers roll back the running tasks, which stay pending. Runs
   * on Vert.x's own worker pool, since this verticle's threads are the ones busy copying.
   */
  private void abort() {
    if (aborted) {
      return;
    }
    aborted = true;
    over = true;
    LOG.warn("run {} aborted by its coordinator: rolling back the running tasks", runId);
    vertx.executeBlocking(() -> {
      slots.forEach(s -> s.runner.abort());
      return null;
    }, false).onComplete(x -> finished.tryComplete(Ending.OVER));
  }

  private final class Slot {
    private final String id;
    private final TaskRunner runner;
    private boolean ended;

    Slot(String id) {
      this.id = id;
      this.runner = runners.apply(id);
    }

    void ask() {
      vertx.eventBus()
          .<JsonObject>request(
              BusProtocol.workAddress(runId),
              BusProtocol.workRequest(runId, id),
              new DeliveryOptions().setSendTimeout(30_000))
          .onSuccess(reply -> answer(reply.body()))
          .onFailure(
              e -> {
                if (over || System.nanoTime() - lastAnnounced > SILENT_MILLIS * 1_000_000) {
                  // The run has ended (an abort too), or its coordinator is gone.
                  done();
                  return;
                }
                LOG.debug("slot {}: no answer from the coordinator, which announced the run {} ms ago: {}", id,
                    (System.nanoTime() - lastAnnounced) / 1_000_000, e.getMessage());
                vertx.setTimer(RETRY_ASK_MILLIS, t -> ask());
              });
    }

    private void answer(JsonObject reply) {
      if (!BusProtocol.ofRun(reply, runId) || reply.getBoolean("finished", false)) {
        over = true;
        done();
      } else if (reply.containsKey("priority")) {
        attempt(reply.getLong("priority"), 1);
      } else {
        vertx.setTimer(Math.max(10, reply.getLong("wait", RETRY_ASK_MILLIS)), t -> ask());
      }
    }

    private void attempt(long priority, int attempt) {
      if (aborted) {
        done();
        return;
      }
      metrics.busy(1);
      executor
          .executeBlocking(
              () ->
                  kind == TaskKind.COPY
                      ? runner.copy(priority, options.analyze(), (rows, bytes) -> vertx.eventBus()
                          .send(BusProtocol.eventsAddress(runId),
                              BusProtocol.progress(runId, id, priority, rows, bytes)))
                      : runner.verify(priority, options.deep()),
              false)
          .onComplete(x -> metrics.busy(-1))
          .onSuccess(this::report)
          .onFailure(error -> failed(priority, attempt, error));
    }

    private void failed(long priority, int attempt, Throwable error) {
      if (aborted) {
        done();
        return;
      }
      String message = DbErrors.serverMessage(error);
      if (TransientErrors.isTransient(error) && attempt < retry.attempts()) {
        long delay = retry.delayAfter(attempt);
        LOG.warn("task {} failed (attempt {} of {}), retrying in {} ms: {}",
            priority, attempt, retry.attempts(), delay, message);
        recordError(priority, message)
            .onComplete(x -> vertx.setTimer(delay, t -> attempt(priority, attempt + 1)));
        return;
      }
      String chunk = error instanceof ChunkTaskException c ? c.chunk() : null;
      recordError(priority, message)
          .onComplete(
              x ->
                  report(
                      new TaskReport(
                          priority,
                          TaskOutcome.FAILED,
                          chunk,
                          0,
                          0,
                          0,
                          message
                              + (attempt > 1 ? " (after " + attempt + " attempts)" : ""))));
    }

    private Future<Void> recordError(long priority, String message) {
      return executor
          .<Void>executeBlocking(() -> {
            runner.recordError(priority, message);
            return null;
          }, false)
          .onFailure(e -> LOG.warn("could not record the error of task {}: {}", priority, e.getMessage()));
    }

    private void report(TaskReport report) {
      if (report.outcome() == TaskOutcome.TAKEN) {
        LOG.info("slot {}: task {} is held or done by another process; asking for another", id, report.priority());
      }
      metrics.taskEnded(kind, report);
      vertx.eventBus().send(BusProtocol.eventsAddress(runId), BusProtocol.report(runId, id, report));
      ask();
    }

    private void done() {
      if (ended) {
        return;
      }
      ended = true;
      executor
          .executeBlocking(() -> {
            runner.close();
            return null;
          }, false)
          .onComplete(
              x -> {
                if (--running == 0) {
                  finished.tryComplete(over ? Ending.OVER : Ending.SILENT);
                }
              });
    }
  }
}
