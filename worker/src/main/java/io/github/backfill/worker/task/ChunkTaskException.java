package io.github.backfill.worker.task;

/** A failed task attempt, naming the chunk it was working on; the cause says why. */
public final class ChunkTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String chunk;

  ChunkTaskException(String chunk, Throwable cause) {
    super(cause.getMessage(), cause);
    this.chunk = chunk;
  }

  /** The source chunk as {@code "schema"."name"}. */
  public String chunk() {
    return chunk;
  }
}
