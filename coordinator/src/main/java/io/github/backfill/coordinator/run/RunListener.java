package io.github.backfill.coordinator.run;

import io.github.backfill.common.task.TaskReport;

/** Hears a run's progress, on the coordinator's event loop: keep it quick. */
public interface RunListener {
  /** A task ended; {@code index} counts the processed tasks of {@code total}. */
  void taskEnded(TaskReport report, int index, int total);

  /** Rows and bytes moved so far by tasks not yet ended, for a live display. */
  default void moving(long bytes) {}

  /** A graceful stop was asked for: no new tasks start. */
  default void stopping() {}

  /**
   * A worker node left the cluster; {@code requeued} of its tasks go to other workers, and
   * {@code sessionsEnded} of its database sessions on the target were ended (-1: could not be).
   */
  default void nodeLost(String nodeId, int requeued, long sessionsEnded) {}
}
