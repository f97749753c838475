package io.github.backfill.coordinator.run;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.Preflight;
import io.github.backfill.common.db.ReactiveClients;
import io.github.backfill.common.db.ServerInfo;
import io.github.backfill.common.db.Sql;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.worker.WorkerVerticle;
import io.github.backfill.worker.task.TaskRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code copy} and {@code verify}: after the checks, deploys a coordinator verticle and, unless told
 * to only coordinate, a worker verticle with {@code localWorkers} slots, and waits for the
 * coordinator's summary. On one host the Vert.x instance has a local event bus; in a cluster, worker
 * nodes on other hosts serve the same run through the clustered bus. Each chunk is copied (or
 * verified) in one target transaction; what committed stays committed, and running the command
 * again resumes with what is left.
 */
public final class RunPhase {
  private static final Logger LOG = LoggerFactory.getLogger(RunPhase.class);
  /** The node id of a run on one host, outside any cluster. */
  public static final String LOCAL_NODE = "local";

  private final Vertx vertx;
  private final RunOptions options;
  private final RunListener listener;
  private final String nodeId;
  private final BackfillMetrics metrics;
  private volatile CoordinatorVerticle coordinator;

  /**
   * @param nodeId this node's id on the event bus ({@link #LOCAL_NODE} on one host)
   */
  public RunPhase(Vertx vertx, RunOptions options, RunListener listener, String nodeId, BackfillMetrics metrics) {
    this.vertx = vertx;
    this.options = options;
    this.listener = listener;
    this.nodeId = nodeId;
    this.metrics = metrics;
  }

  /**
   * Runs the checks, then the run. {@code started} hears the number of pending tasks before the
   * first one starts.
   */
  public Future<RunSummary> run(IntConsumer started) {
    Pool lockPool = ReactiveClients.pool(vertx, options.target(), 1);
    return check()
        .compose(
            pending -> {
              if (pending == 0) {
                // Everything is done already: no run to lock, coordinate or work on.
                started.accept(0);
                return Future.succeededFuture(RunSummary.none(options.kind()));
              }
              return holdRunLock(lockPool).compose(v -> coordinate(pending, started));
            })
        .eventually(lockPool::close);
  }

  /** Deploys the coordinator and the local workers; completes when the run ends. */
  private Future<RunSummary> coordinate(int pending, IntConsumer started) {
    started.accept(pending);
    String runId = UUID.randomUUID().toString();
    CoordinatorVerticle run =
        new CoordinatorVerticle(runId, options.kind(), options.tasks(), options.target(), listener, metrics);
    coordinator = run;
    Future<String> deployed = vertx.deployVerticle(run);
    if (options.localWorkers() == 0) {
      return deployed.compose(id -> run.done());
    }
    WorkerVerticle worker =
        new WorkerVerticle(
            runId,
            nodeId,
            options.kind(),
            options.localWorkers(),
            options.tasks(),
            slot -> new TaskRunner(options.source(), options.target(), slot, !LOCAL_NODE.equals(nodeId)),
            options.retry(),
            metrics);
    return deployed
        .compose(id -> vertx.deployVerticle(worker))
        .compose(id -> run.done())
        .compose(summary -> worker.finished().map(summary));
  }

  /**
   * Takes the shared run lock on a connection of its own, held until {@code lockPool} closes at the
   * end of the run, so that {@code clean} refuses to drop the queue under a running copy or verify.
   */
  private Future<Void> holdRunLock(Pool lockPool) {
    return lockPool.getConnection()
        .compose(connection -> connection
            // The server may end this session (a restart, pg_terminate_backend): the run goes on.
            .exceptionHandler(e -> LOG.warn("the target server ended the session that holds the run"
                + " lock ({}); `clean` is no longer refused while this run goes on", DbErrors.serverMessage(e)))
            .query(Sql.LOCK_RUN_SHARED.text()).execute())
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(DbErrors.translate(options.target(), options.kind().label(), e)));
  }

  /** Asks the coordinator to hand out no new task; running ones finish. Safe from any thread. */
  public void stopGracefully() {
    CoordinatorVerticle current = coordinator;
    if (current != null) {
      current.stopGracefully();
    }
  }

  /** Tells every worker of the run, on every node, to roll back and stop. Safe from any thread. */
  public void abort() {
    CoordinatorVerticle current = coordinator;
    if (current != null) {
      current.abort();
    }
  }

  /** What has finished so far; none before the run starts. Safe from any thread. */
  public Future<RunSummary> summarySoFar() {
    CoordinatorVerticle current = coordinator;
    return current == null ? Future.succeededFuture() : current.summarySoFar();
  }

  /** A worker node left the cluster. Safe from any thread. */
  public void nodeLost(String lostNodeId) {
    CoordinatorVerticle current = coordinator;
    if (current != null) {
      current.nodeLost(lostNodeId);
    }
  }

  /** Preflight, the schema, the pending tasks; returns how many are pending. */
  private Future<Integer> check() {
    Pool sourcePool = ReactiveClients.pool(vertx, options.source(), 1);
    Pool targetPool = ReactiveClients.pool(vertx, options.target(), 1);
    String command = options.kind().label();
    return Future.all(
            Preflight.probe(sourcePool, options.source()),
            Preflight.probe(targetPool, options.target()))
        .compose(
            probes -> {
              ServerInfo source = probes.resultAt(0);
              ServerInfo target = probes.resultAt(1);
              if (options.kind() == TaskKind.COPY) {
                Preflight.requireCompatibleVersions(source, target);
              } else {
                Preflight.requireTimescaleDb(source);
                Preflight.requireTimescaleDb(target);
              }
              return Preflight.requireDistinctDatabases(
                      options.source(), sourcePool, options.target(), targetPool)
                  .compose(v -> targetPool.query(Sql.BACKFILL_SCHEMA_EXISTS.text()).execute());
            })
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              if (!row.getBoolean("present")) {
                return Future.failedFuture(
                    BackfillException.usage(
                        "administrative schema `__backfill` not found. Run the `stage` command once"
                            + " before running `" + command + "`."));
              }
              Future<?> upgrade =
                  row.getBoolean("current")
                      ? Future.succeededFuture()
                      : targetPool.query(Sql.INIT_BACKFILL_SCHEMA.text()).execute();
              return upgrade.compose(
                  x -> targetPool.query(Sql.TASK_COUNTS.text()).execute());
            })
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              long staged = row.getLong("staged");
              boolean nothingCopied = row.getLong("to_copy") == staged;
              // Nothing to start from: nothing staged, or (verify) nothing copied yet. With
              // everything done already, the run simply does nothing.
              if (staged == 0 || (options.kind() == TaskKind.VERIFY && nothingCopied)) {
                return Future.failedFuture(noPendingTasks());
              }
              long pending = options.kind() == TaskKind.COPY ? row.getLong("to_copy") : row.getLong("to_verify");
              return Future.succeededFuture((int) pending);
            })
        .recover(
            e -> Future.failedFuture(
                e instanceof BackfillException ? e : DbErrors.translate(options.target(), command, e)))
        .eventually(() -> Future.join(sourcePool.close(), targetPool.close()));
  }

  private BackfillException noPendingTasks() {
    return new BackfillException(
        ExitCode.USAGE,
        options.kind() == TaskKind.COPY
            ? "there are no pending copy tasks. Use the `stage` command to add more."
            : "there are no pending verification tasks. If tasks are already staged, run the `copy`"
                + " command to complete them for verification. Otherwise, use the `stage` command to"
                + " add more copy tasks.");
  }
}
