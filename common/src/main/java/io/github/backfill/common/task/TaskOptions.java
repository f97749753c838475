package io.github.backfill.common.task;

/**
 * How a run's tasks are done, carried to every worker node in the run's announcement.
 *
 * @param deep verify: also compare a hash of every row
 * @param analyze copy: {@code ANALYZE} each target chunk inside its copy transaction. Off by default:
 *     the target's autovacuum analyzes every copied chunk anyway, since the rows a transaction
 *     writes count as changes since the last analyze once it commits, even when it analyzed them
 *     itself; analyzing in the transaction only makes the statistics exist a minute sooner, at the
 *     cost of a second pass over every chunk.
 */
public record TaskOptions(boolean deep, boolean analyze) {
  public static final TaskOptions DEFAULT = new TaskOptions(false, false);
}
