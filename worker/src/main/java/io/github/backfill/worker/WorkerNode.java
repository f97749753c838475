package io.github.backfill.worker;

import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.worker.task.TaskRunner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A long-running worker node's runs: every run a coordinator announces on {@link
 * BusProtocol#RUNS_ADDRESS} is served by a {@link WorkerVerticle} of its own, one at a time per run.
 * A run whose coordinator said it is over is never served again. One whose coordinator fell silent
 * (dead, or cut off from this node) is served again if it is announced again, as after a partition
 * heals: the node would otherwise sit out the rest of a run that still has chunks to do.
 */
public final class WorkerNode extends VerticleBase {
  private final String nodeId;
  private final int parallelism;
  private final Function<String, TaskRunner> runners;
  private final RetryPolicy retry;
  private final BackfillMetrics metrics;
  private final Consumer<String> say;
  private final Set<String> serving = new HashSet<>();
  private final Set<String> over = new HashSet<>();

  /**
   * @param nodeId this node's name in the cluster: its slots are {@code nodeId/0}, {@code nodeId/1}, ...
   * @param runners makes one task runner (with its own connections) for the slot of the given id
   * @param say prints one line of the node's output
   */
  public WorkerNode(
      String nodeId,
      int parallelism,
      Function<String, TaskRunner> runners,
      RetryPolicy retry,
      BackfillMetrics metrics,
      Consumer<String> say) {
    this.nodeId = nodeId;
    this.parallelism = parallelism;
    this.runners = runners;
    this.retry = retry;
    this.metrics = metrics;
    this.say = say;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(BusProtocol.RUNS_ADDRESS, message -> serve(message.body()))
        .completion();
  }

  private void serve(JsonObject run) {
    String runId = run.getString("run");
    if (runId == null) {
      return; // a stray message
    }
    if (BusProtocol.isOver(run)) {
      over.add(runId);
      return;
    }
    if (over.contains(runId) || !serving.add(runId)) {
      return; // a run that is over, or one this node serves already
    }
    TaskKind kind = TaskKind.valueOf(run.getString("kind"));
    WorkerVerticle worker = new WorkerVerticle(runId, nodeId, kind, parallelism, BusProtocol.taskOptions(run),
        runners, retry, metrics);
    say.accept("Serving " + kind.label() + " run " + runId + " with " + parallelism + " workers");
    vertx.deployVerticle(worker)
        .compose(id -> worker.finished().compose(ending -> vertx.undeploy(id).map(ending)))
        .onComplete(ended -> {
          serving.remove(runId);
          if (ended.result() == WorkerVerticle.Ending.SILENT) {
            say.accept("Run " + runId + ": no word from its coordinator for " + WorkerVerticle.SILENT_MILLIS / 1_000
                + " s; serving it again if it is announced again");
          } else {
            over.add(runId);
            say.accept("Run " + runId + " is over for this node");
          }
        });
  }
}
