package io.github.backfill.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.task.TaskReport;
import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.Datasets;
import io.github.backfill.common.testing.Skeleton;
import io.github.backfill.common.testing.TestUrls;
import io.github.backfill.worker.RetryPolicy;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No message on the event bus carries a password, a login or a connection string. */
class BusSecretsIT {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  private static final String ROLE = "bf_test_bus_secret";
  private static final String PASSWORD = "Bus-S3cret-Pa55-" + System.nanoTime();

  @Test
  void noCredentialTravelsOnTheBus() throws Exception {
    var source = dbs.source();
    var target = dbs.target();
    Datasets.metrics(source);
    Skeleton.copy(source, target);
    for (var db : List.of(source, target)) {
      db.loginRole(ROLE, PASSWORD, true);
    }
    ConnectionSettings s = source.settings();
    ConnectionSettings t = target.settings();
    String sourceUrl = TestUrls.url(ROLE, PASSWORD, s.host(), s.port(), s.database());
    String targetUrl = TestUrls.url(ROLE, PASSWORD, t.host(), t.port(), t.database());
    assertThat(io.github.backfill.coordinator.cli.CliRunAccess.stage(sourceUrl, targetUrl)).isZero();

    Vertx vertx = Vertx.vertx();
    List<String> messages = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(context -> {
      messages.add(context.message().address() + " " + context.message().body());
      context.next();
    });
    vertx.eventBus().addInboundInterceptor(context -> {
      messages.add(context.message().address() + " " + context.message().body());
      context.next();
    });
    RunOptions options = new RunOptions(TaskKind.COPY, ConnectionSettings.parse(ServerRole.SOURCE, sourceUrl),
        ConnectionSettings.parse(ServerRole.TARGET, targetUrl), 2, TaskOptions.DEFAULT, RetryPolicy.DEFAULT);
    RunListener quiet = (TaskReport report, int index, int total) -> {};
    try {
      RunSummary summary = new RunPhase(vertx, options, quiet, "local", BackfillMetrics.none())
          .run(total -> {})
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      assertThat(summary.chunks()).isEqualTo(5);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    assertThat(messages).hasSizeGreaterThan(10);
    assertThat(messages).anyMatch(m -> m.contains("\"priority\""));
    for (String message : messages) {
      assertThat(message).doesNotContain(PASSWORD).doesNotContain(ROLE).doesNotContain("postgres://")
          .doesNotContain(s.host() + ":" + s.port());
    }
  }
}
