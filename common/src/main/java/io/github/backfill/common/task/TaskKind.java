package io.github.backfill.common.task;

/** The two kinds of work a run does, chunk by chunk. */
public enum TaskKind {
  COPY,
  VERIFY;

  public String label() {
    return this == COPY ? "copy" : "verify";
  }
}
