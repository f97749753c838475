package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskReport;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Rows;
import io.github.backfill.common.testing.TestDatabase;
import io.github.backfill.coordinator.run.CoordinatorVerticle;
import io.github.backfill.coordinator.run.RunListener;
import io.github.backfill.coordinator.run.RunSummary;
import io.github.backfill.worker.RetryPolicy;
import io.github.backfill.worker.WorkerNode;
import io.github.backfill.worker.WorkerVerticle;
import io.github.backfill.worker.task.TaskRunner;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker node stays in a run for as long as its coordinator announces it, whatever the cluster's
 * bookkeeping says meanwhile, and serves a run again that it had given up after its coordinator fell
 * silent. Seen in the compose deployment: when one worker was killed and another frozen at once,
 * the cluster split between the coordinator and the last worker; the worker took the requests that
 * found no handler for the end of the run, left it for good, ignored its announcements once the
 * cluster had merged again, and the copy waited forever.
 */
class WorkerNodeIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final RunListener QUIET = (TaskReport report, int index, int total) -> {};

  @Test
  void aNodeStaysInARunWhileItIsAnnouncedAndServesItAgainAfterItsCoordinatorWasSilent() throws Exception {
    var source = dbs.source();
    var target = dbs.target();
    CliRunAccess.stagedMetrics(source, target);

    Vertx vertx = Vertx.vertx();
    List<String> said = new CopyOnWriteArrayList<>();
    try {
      Waits.await(vertx.deployVerticle(new WorkerNode("node-a", 2,
          slot -> new TaskRunner(source.settings(), target.settings(), slot, false), RetryPolicy.DEFAULT,
          BackfillMetrics.none(), said::add)));

      // The copy run is announced, but no handler answers its work requests for 3 s, as while the
      // cluster has lost the coordinator's registration.
      String copyRun = UUID.randomUUID().toString();
      long announcer = vertx.setPeriodic(0, BusProtocol.ANNOUNCE_MILLIS, t -> vertx.eventBus()
          .publish(BusProtocol.RUNS_ADDRESS, BusProtocol.announce(copyRun, TaskKind.COPY, TaskOptions.DEFAULT)));
      Waits.await("the node to serve the copy run", Duration.ofSeconds(10),
          () -> said.contains("Serving copy run " + copyRun + " with 2 workers"));
      Thread.sleep(3_000);
      assertThat(said).as("the node's output").noneMatch(line -> line.startsWith("Run " + copyRun));
      vertx.cancelTimer(announcer);
      RunSummary copied = coordinate(vertx, copyRun, TaskKind.COPY, target);
      assertThat(copied.chunks()).isEqualTo(5);
      assertThat(copied.failed()).isZero();
      Rows.assertSame(source, target, "SELECT * FROM metrics");
      Waits.await("the node to end the copy run", Duration.ofSeconds(10),
          () -> said.contains("Run " + copyRun + " is over for this node"));

      // The verify run is announced once, then nothing is heard of it for longer than a node waits:
      // the node lets it go, and serves it again when its coordinator announces it again.
      String verifyRun = UUID.randomUUID().toString();
      vertx.eventBus().publish(BusProtocol.RUNS_ADDRESS,
          BusProtocol.announce(verifyRun, TaskKind.VERIFY, TaskOptions.DEFAULT));
      String silent = "Run " + verifyRun + ": no word from its coordinator for 10 s; serving it again if it is"
          + " announced again";
      Waits.await("the node to give up the silent run",
          Duration.ofMillis(WorkerVerticle.SILENT_MILLIS).plusSeconds(20), () -> said.contains(silent));
      RunSummary verified = coordinate(vertx, verifyRun, TaskKind.VERIFY, target);
      assertThat(verified.chunks()).isEqualTo(5);
      assertThat(verified.differences()).isZero();
      Waits.await("the node to end the verify run", Duration.ofSeconds(10),
          () -> said.contains("Run " + verifyRun + " is over for this node"));
      assertThat(said).containsExactly(
          "Serving copy run " + copyRun + " with 2 workers",
          "Run " + copyRun + " is over for this node",
          "Serving verify run " + verifyRun + " with 2 workers",
          silent,
          "Serving verify run " + verifyRun + " with 2 workers",
          "Run " + verifyRun + " is over for this node");
      assertThat(target.count("SELECT count(*) FROM __backfill.task WHERE worked IS NULL OR verify_ok IS NOT TRUE")).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Deploys the coordinator of run {@code runId} and returns its summary when the run ends. */
  private static RunSummary coordinate(Vertx vertx, String runId, TaskKind kind, TestDatabase target)
      throws Exception {
    CoordinatorVerticle coordinator =
        new CoordinatorVerticle(runId, kind, TaskOptions.DEFAULT, target.settings(), QUIET, BackfillMetrics.none());
    Waits.await(vertx.deployVerticle(coordinator));
    return Waits.await(coordinator.done());
  }
}
