package io.github.backfill.coordinator.cli;

import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.coordinator.cluster.Cluster;
import io.github.backfill.coordinator.cluster.ClusterOptions;
import io.github.backfill.coordinator.cluster.MetricsServer;
import io.github.backfill.coordinator.run.ProgressDisplay;
import io.github.backfill.coordinator.run.RunOptions;
import io.github.backfill.coordinator.run.RunPhase;
import io.github.backfill.coordinator.run.RunSummary;
import io.github.backfill.worker.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** What {@code copy} and {@code verify} share: flags, cluster, signals, output and exit codes. */
abstract class RunCommand {
  @Spec CommandSpec spec;

  @Mixin DatabaseFlags databases;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "8",
      description = "Chunks processed at once in this process, each with one source and one target"
          + " connection. Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(names = "--local-workers", paramLabel = "N",
      description = "In a cluster: worker slots in this process besides coordinating; 0 only"
          + " coordinates, leaving the chunks to worker nodes. Default: --parallelism.")
  Integer localWorkers;

  @Option(names = "--json",
      description = "Print only one JSON object with the totals at the end. Default: ${DEFAULT-VALUE}.")
  boolean json;

  @Mixin ClusterFlags cluster;

  abstract TaskKind kind();

  TaskOptions taskOptions() {
    return TaskOptions.DEFAULT;
  }

  /**
   * The first SIGINT or SIGTERM lets running chunks finish and exits 0; a second stops at once,
   * rolling them back on every node, with exit code 130.
   */
  Integer execute() {
    if (parallelism < 1 || parallelism > 1024) {
      throw BackfillException.usage(
          "--parallelism must be a number of workers from 1 to 1024, not " + parallelism + ".");
    }
    int local = localWorkers == null ? parallelism : localWorkers;
    if (local < 0 || local > 1024) {
      throw BackfillException.usage("--local-workers must be from 0 to 1024, not " + local + ".");
    }
    if (local == 0 && !cluster.clustered()) {
      throw BackfillException.usage(
          "--local-workers 0 leaves the chunks to worker nodes, which needs --cluster-name.");
    }
    cluster.requireMetricsPort();
    ClusterOptions clusterOptions = cluster.optionsIfClustered();
    RunOptions options =
        new RunOptions(
            kind(),
            databases.source(),
            databases.target(),
            local,
            taskOptions(),
            RetryPolicy.DEFAULT);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!json) {
      out.println(Version.banner());
      out.flush();
    }
    boolean terminal = System.console() != null && !json;
    AtomicReference<RunPhase> phase = new AtomicReference<>();
    AtomicInteger signals = new AtomicInteger();
    sun.misc.SignalHandler handler =
        signal -> {
          RunPhase run = phase.get();
          if (signals.incrementAndGet() == 1 && run != null) {
            run.stopGracefully();
          } else {
            // With --json, stdout carries only the JSON object.
            PrintWriter notice = json ? err : out;
            notice.println("Terminating immediately.");
            notice.flush();
            if (run != null) {
              run.abort();
              pause(500);
              // As the original, the closing line counts the chunks committed before the stop.
              RunSummary sofar = summarySoFar(run);
              if (sofar != null) {
                print(sofar, out, clusterOptions != null);
              }
            }
            // Exiting closes the connections: the servers roll back the open transactions, and
            // the tasks stay pending for the next run.
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
          }
        };
    Signal.handle(new Signal("INT"), handler);
    Signal.handle(new Signal("TERM"), handler);
    MeterRegistry registry = cluster.meterRegistry();
    BackfillMetrics metrics = new BackfillMetrics(registry);
    RunSummary summary;
    try (ProgressDisplay display =
        new ProgressDisplay(kind(), out, err, terminal ? System.err : null, json)) {
      Future<Cluster> joined =
          clusterOptions == null ? Future.succeededFuture() : Cluster.join(clusterOptions, metrics);
      Future<Vertx> vertx =
          joined.map(c -> c == null ? Prestart.vertx() : c.vertx());
      summary =
          Commands.run(
              vertx,
              instance -> {
                Cluster node = joined.result();
                RunPhase run = new RunPhase(instance, options, display, node == null ? RunPhase.LOCAL_NODE : node.nodeName(), metrics);
                phase.set(run);
                if (node != null) {
                  node.onNodeLost(run::nodeLost);
                }
                if (signals.get() > 0) {
                  run.stopGracefully();
                }
                Future<?> served =
                    registry instanceof PrometheusMeterRegistry prometheus
                        ? MetricsServer.start(instance, prometheus, cluster.host, cluster.metricsPort)
                        : Future.succeededFuture();
                return served.compose(x -> run.run(total -> display.start(total, local)));
              });
    }
    print(summary, out, clusterOptions != null);
    if (summary.failure() != null) {
      throw BackfillException.failed(
          summary.failure() + ". Chunks already " + (kind() == TaskKind.COPY ? "copied" : "verified")
              + " stay so; run the command again to resume.", null);
    }
    return summary.differences() > 0 ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code();
  }

  private void print(RunSummary summary, PrintWriter out, boolean clustered) {
    if (json) {
      out.println(summary.toJson().encode());
    } else {
      summary.lines().forEach(out::println);
      if (clustered) {
        out.println("Chunks by worker node:");
        summary.nodeLines().forEach(out::println);
      }
    }
    out.flush();
  }

  /** The run's summary so far, or null when its event loop does not answer within two seconds. */
  private static RunSummary summarySoFar(RunPhase run) {
    try {
      return run.summarySoFar().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
