package io.github.backfill.worker.task;

/** A task failure that no retry can mend: the run stops, naming the chunk. */
public final class PermanentTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PermanentTaskException(String message) {
    super(message);
  }
}
