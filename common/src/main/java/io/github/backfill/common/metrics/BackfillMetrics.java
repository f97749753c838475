package io.github.backfill.common.metrics;

import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tool's own meters, served in Prometheus form on every node's metrics port next to the JVM's
 * and Vert.x's. Names follow Prometheus conventions once rendered
 * ({@code backfill_tasks_total{kind="copy",outcome="COPIED"}}, {@code backfill_rows_total}, ...).
 */
public final class BackfillMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();

  public BackfillMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("backfill.workers.busy", busy);
    registry.gauge("backfill.tasks.pending", pending);
  }

  /** Metrics that go nowhere, for runs without a metrics port. */
  public static BackfillMetrics none() {
    return new BackfillMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A task ended on this node. */
  public void taskEnded(TaskKind kind, TaskReport report) {
    Counter.builder("backfill.tasks").tag("kind", kind.label()).tag("outcome", report.outcome().name())
        .description("tasks processed by this node").register(registry).increment();
    Counter.builder("backfill.rows").tag("kind", kind.label()).description("rows copied or verified")
        .register(registry).increment(report.rows());
    Counter.builder("backfill.bytes").tag("kind", kind.label()).description("COPY bytes moved")
        .register(registry).increment(report.bytes());
    Timer.builder("backfill.task.duration").tag("kind", kind.label()).description("time per task")
        .register(registry).record(Duration.ofNanos((long) (report.seconds() * 1e9)));
  }

  /** A worker slot started (+1) or finished (-1) a task. */
  public void busy(int delta) {
    busy.addAndGet(delta);
  }

  /** The coordinator's count of tasks not yet handed out. */
  public void pending(int count) {
    pending.set(count);
  }
}
