package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveClients;
import io.github.backfill.common.db.ServerRole;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.coordinator.cluster.Cluster;
import io.github.backfill.coordinator.cluster.MetricsServer;
import io.github.backfill.worker.RetryPolicy;
import io.github.backfill.worker.WorkerNode;
import io.github.backfill.worker.task.TaskRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "A long-running worker node: joins the cluster named by --cluster-name and serves every copy and"
          + " verify run that a coordinator (copy or verify with the same --cluster-name) announces,"
          + " with --parallelism chunks at once, staying up between runs until SIGINT or SIGTERM.",
      "",
      "It connects to the databases with its own settings: --source and --target, else the"
          + " environment variables BACKFILL_SOURCE and BACKFILL_TARGET, else the file --config names."
          + " Credentials never travel between nodes.",
      ""
    })
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--source", paramLabel = "CONNSTR",
      description = "Connection string of the source database. Default: $BACKFILL_SOURCE, or source="
          + " in --config.")
  String source;

  @Option(names = "--target", paramLabel = "CONNSTR",
      description = "Connection string of the target database. Default: $BACKFILL_TARGET, or target="
          + " in --config.")
  String target;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A properties file with source=CONNSTR and target=CONNSTR, readable by its owner"
          + " only (like ~/.pgpass). Default: none.")
  Path config;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "8",
      description = "Chunks this node processes at once, each with one source and one target"
          + " connection. Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Mixin ClusterFlags cluster;

  @Override
  public Integer call() throws Exception {
    if (!cluster.clustered()) {
      throw BackfillException.usage("worker needs --cluster-name, the same as the coordinator's.");
    }
    if (parallelism < 1 || parallelism > 1024) {
      throw BackfillException.usage("--parallelism must be from 1 to 1024, not " + parallelism + ".");
    }
    var options = cluster.options();
    cluster.requireMetricsPort();
    Properties file = readConfig();
    ConnectionSettings sourceSettings =
        ConnectionSettings.parse(ServerRole.SOURCE, pick(source, "BACKFILL_SOURCE", file, "source", "--source"));
    ConnectionSettings targetSettings =
        ConnectionSettings.parse(ServerRole.TARGET, pick(target, "BACKFILL_TARGET", file, "target", "--target"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(Version.banner() + " worker");
    out.flush();

    MeterRegistry registry = cluster.meterRegistry();
    BackfillMetrics metrics = new BackfillMetrics(registry);
    Cluster node = Commands.await(Cluster.join(options, metrics));
    Vertx vertx = node.vertx();
    try {
      Commands.await(preflight(vertx, sourceSettings, targetSettings));
      if (registry instanceof PrometheusMeterRegistry prometheus) {
        Commands.await(MetricsServer.start(vertx, prometheus, cluster.host, cluster.metricsPort));
      }
      Commands.await(vertx.deployVerticle(new WorkerNode(node.nodeName(), parallelism,
          slot -> new TaskRunner(sourceSettings, targetSettings, slot, true), RetryPolicy.DEFAULT, metrics,
          line -> {
            out.println(line);
            out.flush();
          })));
      out.println("Node " + node.nodeName() + " joined cluster \"" + options.name() + "\" at " + options.host() + ":"
          + options.port() + "; waiting for runs");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      sun.misc.SignalHandler handler = signal -> stop.countDown();
      Signal.handle(new Signal("INT"), handler);
      Signal.handle(new Signal("TERM"), handler);
      stop.await();
      out.println("Leaving the cluster; running chunks roll back and stay pending.");
      out.flush();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    return 0;
  }

  private Properties readConfig() throws IOException {
    Properties properties = new Properties();
    if (config == null) {
      return properties;
    }
    if (!Files.isReadable(config)) {
      throw BackfillException.usage(
          "--config " + config + " cannot be read: check the path, and that this user may read the"
              + " file.");
    }
    try (InputStream in = Files.newInputStream(config)) {
      properties.load(in);
    }
    return properties;
  }

  private static String pick(String flag, String variable, Properties file, String key, String name) {
    if (flag != null) {
      return flag;
    }
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      value = file.getProperty(key);
    }
    if (value == null || value.isBlank()) {
      throw BackfillException.usage(
          "worker needs the " + key + " database: give " + name + ", set " + variable + ", or put "
              + key + "= in a --config file.");
    }
    return value;
  }

  /** Both servers reachable, the logins work, TimescaleDB is there: fail before joining any run. */
  private static Future<Void> preflight(Vertx vertx, ConnectionSettings source, ConnectionSettings target) {
    Pool sourcePool = ReactiveClients.pool(vertx, source, 1);
    Pool targetPool = ReactiveClients.pool(vertx, target, 1);
    return Future.all(Preflight.probe(sourcePool, source), Preflight.probe(targetPool, target))
        .map(probes -> {
          Preflight.requireCompatibleVersions(probes.resultAt(0), probes.resultAt(1));
          return (Void) null;
        })
        .eventually(() -> Future.join(sourcePool.close(), targetPool.close()));
  }
}
