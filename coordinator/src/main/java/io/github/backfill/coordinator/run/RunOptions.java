package io.github.backfill.coordinator.run;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.worker.RetryPolicy;

/**
 * What a copy or verify run was asked to do.
 *
 * @param deep for verify: also compare a hash of every row
 */
public record RunOptions(
    TaskKind kind,
    ConnectionSettings source,
    ConnectionSettings target,
    int parallelism,
    boolean deep,
    RetryPolicy retry) {}
