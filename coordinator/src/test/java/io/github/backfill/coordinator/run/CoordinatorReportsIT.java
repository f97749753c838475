package io.github.backfill.coordinator.run;

import static io.github.backfill.coordinator.cli.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.bus.BusProtocol;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskOutcome;
import io.github.backfill.common.task.TaskReport;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.coordinator.cli.CliRunAccess;
import io.github.backfill.worker.task.ProgressListener;
import io.github.backfill.worker.task.TaskRunner;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task handed out twice, to a slot of a node thought lost and then to another slot, is counted
 * once in the run's summary, whichever slot copies it and in whatever order their reports come.
 * The coordinator runs as in a copy; the two slots are driven by hand through real task runners.
 */
class CoordinatorReportsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final String RUN = "reports-it";

  @Test
  void theSecondSlotFindsTheTaskHeldAndTheFirstThenCopiesIt() throws Exception {
    runWithATaskHandedOutTwice(true);
  }

  @Test
  void theFirstSlotCopiesTheTaskAndTheSecondThenFindsItDone() throws Exception {
    runWithATaskHandedOutTwice(false);
  }

  /**
   * Hands the first task to slot n1/0, loses node n1, hands the task again to n2/0; n1/0 copies it,
   * and n2/0's claim finds it held (while n1/0 still has it) or done. n2/0 then copies the rest.
   */
  private static void runWithATaskHandedOutTwice(boolean heldFirst) throws Exception {
    dbs.reset();
    var source = dbs.source();
    var target = dbs.target();
    CliRunAccess.stagedMetrics(source, target);

    Vertx vertx = Vertx.vertx();
    Promise<Integer> requeued = Promise.promise();
    RunListener listener = new RunListener() {
      @Override
      public void taskEnded(TaskReport report, int index, int total) {}

      @Override
      public void nodeLost(String nodeId, int count, long sessionsEnded) {
        requeued.tryComplete(count);
      }
    };
    CoordinatorVerticle coordinator = new CoordinatorVerticle(
        RUN, TaskKind.COPY, TaskOptions.DEFAULT, target.settings(), listener, BackfillMetrics.none());
    try (TaskRunner first = new TaskRunner(source.settings(), target.settings(), "n1/0", false);
        TaskRunner second = new TaskRunner(source.settings(), target.settings(), "n2/0", false)) {
      await(vertx.deployVerticle(coordinator));

      long task = ask(vertx, "n1/0").getLong("priority");
      coordinator.nodeLost("n1");
      assertThat(await(requeued.future())).isEqualTo(1);
      assertThat(ask(vertx, "n2/0").getLong("priority")).isEqualTo(task);

      if (heldFirst) {
        // n1 is not dead after all and holds the task.
        try (Connection holder = target.connect()) {
          holder.setAutoCommit(false);
          holder.createStatement()
              .execute("SELECT 1 FROM __backfill.task WHERE priority = " + task + " FOR NO KEY UPDATE");
          report(vertx, "n2/0", attempt(second, task, TaskOutcome.TAKEN));
          holder.rollback();
        }
        report(vertx, "n1/0", attempt(first, task, TaskOutcome.COPIED));
      } else {
        report(vertx, "n1/0", attempt(first, task, TaskOutcome.COPIED));
        report(vertx, "n2/0", attempt(second, task, TaskOutcome.TAKEN));
      }

      for (JsonObject answer = ask(vertx, "n2/0"); !answer.getBoolean("finished", false);
          answer = ask(vertx, "n2/0")) {
        if (answer.containsKey("priority")) {
          report(vertx, "n2/0", second.copy(answer.getLong("priority"), false, ProgressListener.NONE));
        } else {
          Thread.sleep(answer.getLong("wait"));
        }
      }
      RunSummary summary = await(coordinator.done());

      assertThat(summary.chunks()).isEqualTo(5);
      assertThat(summary.rows()).isEqualTo(744);
      assertThat(summary.bytes()).isEqualTo(target.count("SELECT sum(copied_bytes) FROM __backfill.task"));
      assertThat(summary.chunksByNode()).isEqualTo(Map.of("n1", 1, "n2", 4));
      assertThat(summary.taken()).isEqualTo(heldFirst ? 1 : 0);
      assertThat(target.count("SELECT count(*) FROM metrics")).isEqualTo(744);
    } finally {
      await(vertx.close());
    }
  }

  /** {@code runner}'s attempt at copying {@code task}, which must end as {@code expected}. */
  private static TaskReport attempt(TaskRunner runner, long task, TaskOutcome expected) throws Exception {
    TaskReport report = runner.copy(task, false, ProgressListener.NONE);
    assertThat(report.outcome()).isEqualTo(expected);
    return report;
  }

  private static JsonObject ask(Vertx vertx, String slot) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(BusProtocol.workAddress(RUN), BusProtocol.workRequest(RUN, slot)))
        .body();
  }

  /** Sends a slot's report; the coordinator has taken it in when an ask sent after it is answered. */
  private static void report(Vertx vertx, String slot, TaskReport report) {
    vertx.eventBus().send(BusProtocol.eventsAddress(RUN), BusProtocol.report(RUN, slot, report));
  }
}
