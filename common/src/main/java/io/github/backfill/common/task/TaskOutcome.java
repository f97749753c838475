package io.github.backfill.common.task;

/** How one task ended on a worker. */
public enum TaskOutcome {
  /** Copied and committed. */
  COPIED,
  /** Verified: source and target agree. */
  VERIFIED,
  /** Verified: source and target differ, or the target chunk is missing. */
  DIFFERENT,
  /** The source chunk was dropped after stage: marked done, nothing moved. */
  SOURCE_GONE,
  /** Not claimable: another process holds it, or it is no longer pending. */
  TAKEN,
  /** Failed for good (or after its retries); the run stops. */
  FAILED;

  /** Whether the task counts as processed by this run. */
  public boolean done() {
    return this != TAKEN && this != FAILED;
  }
}
