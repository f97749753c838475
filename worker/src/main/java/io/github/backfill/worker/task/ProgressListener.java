package io.github.backfill.worker.task;

/** Hears how far a task has got: rows and bytes moved so far. Called from the task's thread. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (rows, bytes) -> {};

  void progress(long rows, long bytes);
}
