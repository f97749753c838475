package io.github.backfill.worker;

/**
 * How often and how patiently a task is retried after a transient failure: {@code attempts} tries in
 * all, waiting {@code firstDelayMillis} after the first failure and doubling up to {@code
 * maxDelayMillis}.
 */
public record RetryPolicy(int attempts, long firstDelayMillis, long maxDelayMillis) {
  /** Five tries over about half a minute: rides out a server restart or a failover. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, 1_000, 16_000);

  public long delayAfter(int failedAttempt) {
    long delay = firstDelayMillis << Math.min(failedAttempt - 1, 20);
    return Math.min(delay, maxDelayMillis);
  }
}
